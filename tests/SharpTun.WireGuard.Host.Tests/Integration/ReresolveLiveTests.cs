using System.Diagnostics;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// Issue 10, endpoint re-resolution: the client knows the server by a host name from its namespace's
/// private hosts file (<c>ip netns exec</c> bind-mounts /etc/netns/NS/hosts over /etc/hosts). The
/// server is redeployed at another address and the hosts file follows; once handshakes have failed for the
/// threshold (5 s here), the client resolves again and the tunnel works at the new address. And
/// on the timer: a name that changes while the tunnel works is followed within the interval.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class ReresolveLiveTests(ITestOutputHelper output)
{
    private const int Port = Pairs.Port;

    [RootFact]
    public void ServerMoves_HostsFileChanges_TunnelFollows()
    {
        using var lab = new WireLab();
        var hc = lab.AddHost();
        var hs = lab.AddHost();
        var moved = "198.18.0.102";
        var hostName = $"{hc.Name}.wg.test";
        var etc = Path.Combine("/etc/netns", hc.Name);
        Directory.CreateDirectory(etc);
        var hosts = Path.Combine(etc, "hosts");
        try
        {
            // Written in place (same inode) from now on: the bind mount of each later 'ip netns exec' shows the new text.
            File.WriteAllText(hosts, $"127.0.0.1 localhost\n{hs.OuterV4} {hostName}\n");
            var kc = WgKey.Generate();
            var ks = WgKey.Generate();
            var server = TransportNode.Start(hs, new WgConfig(ks, Port, Pairs.InnerAddresses(hs), [new WgPeer(kc.Public, Pairs.HostRoutes(hc))]), null, null);
            var client = TransportNode.Start(hc, new WgConfig(kc, Port, Pairs.InnerAddresses(hc),
                    [new WgPeer(ks.Public, Pairs.HostRoutes(hs), $"{hostName}:{Port}", PersistentKeepalive: 5)]), null, null,
                env: new Dictionary<string, string> { ["SHARPTUN_WG_RESOLVE_FAILING_SECONDS"] = "5" });
            Traffic.Ping(hc, hs.InnerV4, count: 2);
            Assert.Equal($"{hs.OuterV4}:{Port}", client.EndpointOf(server));

            // The server is redeployed at another address (a fresh daemon: it knows no endpoint of the
            // client, so only the client can find it again, by name); the name follows it.
            server.Dispose();
            hs.Ns.Ip($"addr del {hs.OuterV4}/24 dev wire0");
            hs.Ns.Ip($"addr add {moved}/24 dev wire0");
            server = TransportNode.Start(hs, new WgConfig(ks, Port, Pairs.InnerAddresses(hs), [new WgPeer(kc.Public, Pairs.HostRoutes(hc))]), null, null);
            using (var f = new FileStream(hosts, FileMode.Truncate, FileAccess.Write))
            {
                f.Write(System.Text.Encoding.ASCII.GetBytes($"127.0.0.1 localhost\n{moved} {hostName}\n"));
            }
            Assert.Contains(moved, hc.Must("getent", "hosts", hostName).StdOut, StringComparison.Ordinal);

            var sw = Stopwatch.StartNew();
            client.Process.WaitUntil(() => Traffic.PingRaw(hc, hs.InnerV4, count: 1, deadlineSeconds: 2).ExitCode == 0,
                "a ping through the tunnel at the server's new address", TimeSpan.FromSeconds(120));
            output.WriteLine($"tunnel working again {sw.Elapsed.TotalSeconds:0.0} s after the server moved");
            Assert.Equal($"{moved}:{Port}", client.EndpointOf(server));
            Assert.Contains($"now resolves to {moved}:{Port} (was {hs.OuterV4}:{Port}); using it", client.Log, StringComparison.Ordinal);
            Traffic.Ping(hc, hs.InnerV4, count: 3);
            client.Process.EnsureRunning("the test ended");
        }
        finally
        {
            Directory.Delete(etc, recursive: true);
        }
    }

    [RootFact]
    public void NameChanges_WhileTheTunnelWorks_ResolvedOnTheTimer_NewAddressUsed()
    {
        using var lab = new WireLab();
        var hc = lab.AddHost();
        var hs = lab.AddHost();
        var second = "198.18.0.102";
        hs.Ns.Ip($"addr add {second}/24 dev wire0");
        var hostName = $"{hc.Name}.wg.test";
        var etc = Path.Combine("/etc/netns", hc.Name);
        Directory.CreateDirectory(etc);
        var hosts = Path.Combine(etc, "hosts");
        try
        {
            File.WriteAllText(hosts, $"127.0.0.1 localhost\n{hs.OuterV4} {hostName}\n");
            var kc = WgKey.Generate();
            var ks = WgKey.Generate();
            var server = TransportNode.Start(hs, new WgConfig(ks, Port, Pairs.InnerAddresses(hs), [new WgPeer(kc.Public, Pairs.HostRoutes(hc))]), null, null);
            var client = TransportNode.Start(hc, new WgConfig(kc, Port, Pairs.InnerAddresses(hc),
                    [new WgPeer(ks.Public, Pairs.HostRoutes(hs), $"{hostName}:{Port}", PersistentKeepalive: 1)]), null, null,
                env: new Dictionary<string, string> { ["SHARPTUN_WG_RESOLVE_SECONDS"] = "3" });
            Traffic.Ping(hc, hs.InnerV4, count: 2);
            Assert.Equal($"{hs.OuterV4}:{Port}", client.EndpointOf(server));

            using (var f = new FileStream(hosts, FileMode.Truncate, FileAccess.Write))
            {
                f.Write(System.Text.Encoding.ASCII.GetBytes($"127.0.0.1 localhost\n{second} {hostName}\n"));
            }
            var sw = Stopwatch.StartNew();
            client.Process.WaitForOutput($"now resolves to {second}:{Port} (was {hs.OuterV4}:{Port}); using it", TimeSpan.FromSeconds(30));
            // The server now hears the client at the new address: its replies come from there (IP_PKTINFO), so the client stays on it.
            client.Process.WaitUntil(() => client.EndpointOf(server) == $"{second}:{Port}", "the client's endpoint to be the new address", TimeSpan.FromSeconds(30));
            output.WriteLine($"new address in use {sw.Elapsed.TotalSeconds:0.0} s after the hosts file changed (resolve interval 3 s)");
            Traffic.Ping(hc, hs.InnerV4, count: 3);
            Assert.Equal($"{second}:{Port}", client.EndpointOf(server));
            client.Process.EnsureRunning("the test ended");
        }
        finally
        {
            Directory.Delete(etc, recursive: true);
        }
    }
}
