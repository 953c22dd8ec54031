using System.Globalization;
using System.Text;
using SharpTun.WireGuard;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>
/// <see cref="UapiStatus"/> against what a SharpTun UAPI server writes for <see cref="UapiClient.StatusRequest"/>:
/// every line of a real answer (a handshake, traffic, a learned endpoint, drops) comes back out of the parse,
/// in the server's order, and the values are the interface's own.
/// </summary>
public sealed class UapiStatusTests
{
    [Fact]
    public void Parse_RoundTripsTheServersAnswer_ValuesAreTheInterfaces()
    {
        using var pair = new FakePair(bKnowsEndpointOfA: false);
        pair.TunA.Inject(Packets.Echo("198.19.0.1", "198.19.0.2"));
        pair.Settle();
        pair.TunB.Inject(Packets.Echo("198.19.0.2", "198.19.0.1", type: 0));
        pair.TunB.Inject(Packets.Echo("198.19.0.2", "198.19.0.99")); // in no peer's AllowedIPs: an interface drop
        pair.Settle();

        var answer = new UapiHandler(pair.B, HostLog.None).Handle(UapiClient.StatusRequest);
        var status = UapiStatus.Parse(answer);

        Assert.Equal(answer, Compose(status));
        var key = Convert.ToHexStringLower(WireGuardKeys.PublicKey(pair.KeyA));
        Assert.Equal([key], status.Peers.Keys);
        var peer = status.Peers[key];
        var actual = pair.B.GetPeers()[0];
        Assert.Equal(actual.ReceivePackets, peer.Number("rx_packets"));
        Assert.Equal(actual.TransmitPackets, peer.Number("tx_packets"));
        Assert.Equal(1, peer.Number("handshakes_received"));
        Assert.Equal("up", peer["state"]);
        Assert.Null(peer["no_such_key"]);
        Assert.Equal(0, peer.Number("state")); // not a number
        // B learned A's endpoint from the handshake: one change from nowhere to 198.18.0.1:51820.
        Assert.Equal(1, peer.Number("endpoint_changes"));
        Assert.EndsWith(",(none),198.18.0.1:51820", Assert.Single(peer.EndpointHistory));
        var drops = Assert.Single(status.Drops);
        Assert.Equal(1, drops.Value);
        Assert.Equal(pair.B.Drops.Total, drops.Value);
    }

    [Fact]
    public void Parse_StockServerAndOddLines()
    {
        // What a server without the extension leaves (nothing, or an error) parses as no peers.
        Assert.Empty(UapiStatus.Parse("").Peers);
        Assert.Empty(UapiStatus.Parse("errno=-22\n\n").Drops);
        var status = UapiStatus.Parse("drop_no_route=7\ndrop_bad=x\noffload_tun=checksum\nnoise\npublic_key=ab\nstate=up\nendpoint_change=1,roam,(none),198.18.0.1:1\ndrop_replay=2\nerrno=0\n\n");
        Assert.Equal(new Dictionary<string, long> { ["no_route"] = 7 }, status.Drops);
        Assert.Equal("checksum", status.Offloads["tun"]);
        var peer = status.Peers["ab"];
        Assert.Equal(new Dictionary<string, string> { ["state"] = "up" }, peer.Values);
        Assert.Equal(["1,roam,(none),198.18.0.1:1"], peer.EndpointHistory);
        Assert.Equal(new Dictionary<string, long> { ["replay"] = 2 }, peer.Drops);
    }

    /// <summary>The answer the parse stands for, in the server's line order (see StatusText).</summary>
    private static string Compose(UapiStatus status)
    {
        var sb = new StringBuilder();
        foreach (var (k, v) in status.Drops)
        {
            sb.Append("drop_").Append(k).Append('=').Append(v.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        foreach (var (k, v) in status.Offloads)
        {
            sb.Append("offload_").Append(k).Append('=').Append(v.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        foreach (var (k, v) in status.Handshake)
        {
            sb.Append("handshake_").Append(k).Append('=').Append(v.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        foreach (var (key, peer) in status.Peers)
        {
            sb.Append("public_key=").Append(key).Append('\n');
            foreach (var (k, v) in peer.Values)
            {
                sb.Append(k).Append('=').Append(v.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
            foreach (var c in peer.EndpointHistory)
            {
                sb.Append("endpoint_change=").Append(c).Append('\n');
            }
            foreach (var (k, v) in peer.Drops)
            {
                sb.Append("drop_").Append(k).Append('=').Append(v.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }
        return sb.Append("errno=0\n\n").ToString();
    }
}
