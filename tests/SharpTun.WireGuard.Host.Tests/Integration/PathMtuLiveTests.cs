using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// Issue 10, path MTU: client —(1500)— router —(1300)— server, a real IPv4 router in its own
/// namespace. The client's don't-fragment probe of the tunnel's outer size (MTU 1420 + 32 WireGuard
/// + 28 UDP/IPv4 = 1480 bytes) makes the router answer "fragmentation needed, MTU 1300"; the
/// client reports a path MTU of 1300 for the peer and warns that MTU 1420 does not fit (suggesting
/// 1240). The server, whose own link is 1300, reports and warns the same from its route.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class PathMtuLiveTests(ITestOutputHelper output)
{
    private const int Port = Pairs.Port;

    [RootFact]
    public void SmallerMtuInTheMiddle_IsDetected_Reported_AndWarned()
    {
        using var lab = new WireLab();
        var hc = lab.AddHost(); // 198.18.0.1 on the bridge
        var hr = lab.AddHost(); // 198.18.0.2 on the bridge: the router
        var hs = lab.AddDetachedHost(3, "stwm"); // behind the router, not on the bridge
        var serverNs = hs.Ns;
        const string serverAddress = "198.18.3.1";
        hr.Ns.Ip($"link add mid0 type veth peer name wire0 netns {serverNs.Name}");
        hr.Ns.Ip("addr add 198.18.3.254/24 dev mid0");
        hr.Ns.Ip("link set mid0 mtu 1300");
        hr.Ns.Ip("link set mid0 up");
        hr.Must("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        serverNs.Ip($"addr add {serverAddress}/24 dev wire0");
        serverNs.Ip("link set wire0 mtu 1300");
        serverNs.Ip("link set wire0 up");
        serverNs.Ip($"route add 198.18.0.0/24 via 198.18.3.254");
        hc.Ns.Ip($"route add 198.18.3.0/24 via {hr.OuterV4}");
        hc.Must("ping", "-c", "1", "-W", "5", serverAddress);

        var kc = WgKey.Generate();
        var ks = WgKey.Generate();
        var server = TransportNode.Start(hs, new WgConfig(ks, Port, Pairs.InnerAddresses(hs), [new WgPeer(kc.Public, Pairs.HostRoutes(hc))]), null, null);
        var client = TransportNode.Start(hc, new WgConfig(kc, Port, Pairs.InnerAddresses(hc),
            [new WgPeer(ks.Public, Pairs.HostRoutes(hs), $"{serverAddress}:{Port}", PersistentKeepalive: 25)]), null, null);
        client.WaitForHandshake(ks.Public, timeout: TimeSpan.FromSeconds(30));

        const string warning = "carries at most 1300-byte packets, but the tunnel MTU 1420 makes 1480-byte ones";
        client.Process.WaitForOutput(warning, TimeSpan.FromSeconds(40));
        server.Process.WaitForOutput(warning, TimeSpan.FromSeconds(40));
        Assert.Contains($"the path to {serverAddress}:{Port} carries at most 1300-byte packets", client.Log, StringComparison.Ordinal);
        Assert.Contains("set MTU = 1240 in [Interface]", client.Log, StringComparison.Ordinal);
        // The kernel learnt it from the router's ICMP (the client's own link is 1500): the route cache says so.
        var cached = hc.Must("ip", "route", "get", serverAddress).StdOut;
        output.WriteLine($"client: ip route get {serverAddress}: {cached.Trim()}");
        Assert.Matches(new Regex(@"mtu 1300"), cached);
        Assert.Single(Regex.Matches(client.Log, Regex.Escape(warning)));

        // The tunnel still works for packets that fit the path.
        Traffic.Ping(hc, hs.InnerV4, count: 3);
        client.Process.EnsureRunning("the test ended");
        server.Process.EnsureRunning("the test ended");
    }
}
