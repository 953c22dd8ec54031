using SharpTun.Testing.Fakes;
using SharpTun.WireGuard;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>
/// The key-less interface over fakes: a UAPI set of an all-zero private_key (what <c>wg set IF private-key
/// /dev/null</c> and a <c>wg setconf</c> without PrivateKey send) clears the key instead of failing; the peers
/// stay, nothing is sent or answered, and a key set again resumes handshakes — as in wireguard-go.
/// </summary>
public sealed class KeylessInterfaceTests
{
    [Fact]
    public void ZeroKey_Clears_PeersKept_NoHandshakeEitherWay_KeyAgainResumes()
    {
        var clock = new ManualTimeProvider();
        using var pair = new FakePair(time: clock);
        pair.TunA.Inject(Packets.Echo("198.19.0.1", "198.19.0.2"));
        pair.Settle();
        Assert.Equal(1, pair.TunB.Written.Count);
        pair.TunB.Written.PopArray();

        pair.A.Apply(new UapiSetRequest { PrivateKey = new byte[32] });
        var snapshot = pair.A.Snapshot();
        Assert.DoesNotContain("private_key=", UapiCodec.FormatGet(snapshot), StringComparison.Ordinal);
        var kept = Assert.Single(snapshot.Peers);
        Assert.Equal(WireGuardKeys.PublicKey(pair.KeyB), kept.PublicKey);
        Assert.Null(kept.LastHandshake);
        Assert.Equal("198.19.0.2/32", Assert.Single(kept.AllowedIps).ToString());

        // A has no key: its packet waits, no initiation leaves.
        var sentBefore = pair.BindA.SentCount;
        pair.TunA.Inject(Packets.Echo("198.19.0.1", "198.19.0.2", sequence: 2));
        pair.Settle();
        Assert.Equal(sentBefore, pair.BindA.SentCount);
        Assert.Equal(0, pair.TunB.Written.Count);
        // B still has the old session with A's old key: its data is not for any session of A's now.
        pair.TunB.Inject(Packets.Echo("198.19.0.2", "198.19.0.1", type: 0));
        pair.Settle();
        Assert.Equal(0, pair.TunA.Written.Count);
        Assert.Equal(0, pair.A.Drops.Total - pair.A.Drops[DropReason.NoPeer]);

        // The key again: the queued packet goes once the handshake completes (past B's 20 ms initiation flood limit).
        clock.Advance(TimeSpan.FromSeconds(1));
        pair.A.Apply(new UapiSetRequest { PrivateKey = (byte[])pair.KeyA.Clone() });
        Assert.Contains("private_key=", UapiCodec.FormatGet(pair.A.Snapshot()), StringComparison.Ordinal);
        pair.TunA.Inject(Packets.Echo("198.19.0.1", "198.19.0.2", sequence: 3));
        pair.Settle();
        Assert.True(pair.TunB.Written.Count >= 1, "no packet reached B after the key was set again");
        Assert.NotNull(Assert.Single(pair.A.GetPeers()).LatestHandshake);
    }
}
