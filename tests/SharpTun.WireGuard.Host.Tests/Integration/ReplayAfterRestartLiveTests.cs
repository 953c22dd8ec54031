using System.Net;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// Issue 18: an initiation captured on the wire and replayed to a restarted responder (which lost its timestamp
/// history, as every WireGuard implementation does) is answered, but no handshake is confirmed, so
/// <c>wg show dump</c> keeps latest handshake 0 (as wireguard-go); replayed once more it is a <c>replay</c> drop,
/// not <c>rate_limited</c>.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class ReplayAfterRestartLiveTests(ITestOutputHelper output)
{
    [RootFact]
    public void ReplayedInitiation_AfterRestart_NoLatestHandshake_SecondReplayCountedAsReplay()
    {
        using var lab = new WireLab();
        var (a, b) = Pairs.SharpTunBoth(lab, ipv6Outer: false);
        var attackerHost = lab.AddHost();
        byte[] initiation;
        using (var cap = new Capture(b.Host, "wire0", 1, $"udp and dst port {Pairs.Port} and src host {a.Host.OuterV4} and udp[8] = 1"))
        {
            Traffic.Ping(a.Host, b.Host.InnerV4);
            cap.WaitComplete(TimeSpan.FromSeconds(30));
            initiation = Assert.Single(cap.UdpPayloads());
        }
        Assert.Equal(148, initiation.Length);

        b.KillAndRestart();
        Assert.Equal(0, b.Dump().Peer(a.PublicKey).LatestHandshake);
        using var attacker = new UdpProbe(attackerHost, attackerHost.OuterV4);
        var target = new IPEndPoint(IPAddress.Parse(b.Host.OuterV4), Pairs.Port);
        attacker.Send(initiation, target);
        // Answered (the restarted side cannot know the timestamp), to the attacker's address: a 92-byte response.
        b.Process.WaitUntil(() => attacker.Received.Any(d => d.Length == 92 && d[0] == 2), "the restarted daemon's response to the replay", TimeSpan.FromSeconds(10));
        var show = b.Show();
        output.WriteLine($"after the first replay: latest handshake {b.Dump().Peer(a.PublicKey).LatestHandshake}; handshakes received {show.Peer(a.PublicKey).GetProperty("handshakes").GetProperty("received")}");
        Assert.Equal(0, b.Dump().Peer(a.PublicKey).LatestHandshake);

        attacker.Send(initiation, target);
        b.Process.WaitUntil(() => b.Show().Drops("replay") == 1, "the second replay to be counted as replay", TimeSpan.FromSeconds(10));
        Assert.Equal(0, b.Show().Drops("rate_limited"));
        Assert.Equal(1, attacker.Received.Count(d => d.Length == 92));
        Assert.Equal(0, b.Dump().Peer(a.PublicKey).LatestHandshake);

        // The authenticated initiation moved B's endpoint for A to the attacker's address (as in wireguard-go: it
        // proves only the key); set it back, and a real handshake completes and shows.
        Assert.Equal($"{attackerHost.OuterV4}:{attacker.Local.Port}", b.Dump().Peer(a.PublicKey).Endpoint);
        b.Wg("set", b.Name, "peer", a.PublicKey, "endpoint", a.Endpoint());
        Traffic.Ping(b.Host, a.Host.InnerV4, deadlineSeconds: 15);
        Assert.True(b.Dump().Peer(a.PublicKey).LatestHandshake > 0);
        b.Process.EnsureRunning("after the replays");
    }
}
