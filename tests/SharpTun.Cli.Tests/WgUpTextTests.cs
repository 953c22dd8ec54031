using System.Net;
using SharpTun.Cli.Commands;
using SharpTun.WireGuard.Host;

namespace SharpTun.Cli.Tests;

/// <summary>The counters the foreground <c>wg up</c> prints at its stop: a line per active peer, the idle ones counted in one line.</summary>
public sealed class WgUpTextTests
{
    private static PeerStatus Status(byte fill, long rx, long tx) => new()
    {
        PublicKey = Enumerable.Repeat(fill, 32).ToArray(),
        AllowedIps = [(IPAddress.Parse("198.19.0.2"), 32)],
        Drops = new Dictionary<DropReason, long>(),
        ReceiveBytes = rx,
        TransmitBytes = tx,
        ReceivePackets = rx == 0 ? 0 : 1,
        TransmitPackets = tx == 0 ? 0 : 2,
    };

    [Fact]
    public void Counters_ListActivePeers_CountTheIdleOnes()
    {
        var text = WgUpText.Counters("wg9", 100_000, [Status(1, 92, 148)], new DropCounters());
        var key = Convert.ToBase64String(Enumerable.Repeat((byte)1, 32).ToArray());
        Assert.Equal(
            "wg9: 100000 peer(s), received 92 bytes, sent 148 bytes, dropped 0\n"
            + $"wg9: peer {key}: received 92 bytes (1 packets), sent 148 bytes (2 packets), latest handshake never, dropped 0\n"
            + "wg9: 99999 peer(s) with no traffic and no handshake not listed\n",
            text);
    }

    [Fact]
    public void Counters_AllPeersGiven_IdleOnesSkippedAndCounted()
    {
        var text = WgUpText.Counters("wg9", 2, [Status(1, 0, 0), Status(2, 0, 60)], new DropCounters());
        Assert.DoesNotContain(Convert.ToBase64String(Enumerable.Repeat((byte)1, 32).ToArray()), text, StringComparison.Ordinal);
        Assert.Contains(Convert.ToBase64String(Enumerable.Repeat((byte)2, 32).ToArray()), text, StringComparison.Ordinal);
        Assert.EndsWith("wg9: 1 peer(s) with no traffic and no handshake not listed\n", text, StringComparison.Ordinal);
    }
}
