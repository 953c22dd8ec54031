using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SharpTun.Linux.Namespaces;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// Issue 18: a new listen port closes the old socket. SharpTun on both hosts; host A moves its port back
/// and forth with <c>wg set</c>, then <c>wg syncconf</c> with the original port and a peer change.
/// Judged by <c>ss -uanp</c> in A's namespace (the daemon's UDP sockets), ping both ways and <c>wg show dump</c>.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed partial class RebindLiveTests(ITestOutputHelper output)
{
    [RootFact]
    public void ListenPortBackAndForth_LeavesOneSocket_TrafficFlows_SyncconfWithOriginalPortApplies()
    {
        using var lab = new WireLab();
        var (a, b) = Pairs.SharpTunBoth(lab, ipv6Outer: false);
        var pid = a.Process.Pid;
        Traffic.Ping(a.Host, b.Host.InnerV4);
        Assert.Equal([Pairs.Port], DaemonUdpPorts(a));

        foreach (var port in new[] { 51821, 51820, 51821 })
        {
            a.Wg("set", a.Name, "listen-port", port.ToString(CultureInfo.InvariantCulture));
            Assert.Equal(port, a.Dump().ListenPort);
            var ports = DaemonUdpPorts(a);
            output.WriteLine($"listen-port {port}: daemon UDP sockets on {string.Join(", ", ports)}");
            Assert.Equal([port], ports);
            // Both directions: A sends from its new port; B learns it from the first authenticated packet.
            Traffic.Ping(a.Host, b.Host.InnerV4);
            Traffic.Ping(b.Host, a.Host.InnerV4);
            Assert.Equal($"{a.Host.OuterV4}:{port}", b.Dump().Peer(a.PublicKey).Endpoint);
        }

        // The same port again is a no-op: same socket (same inode), still one.
        var inode = DaemonUdpSockets(a).Single().Inode;
        a.Wg("set", a.Name, "listen-port", "51821");
        Assert.Equal(inode, DaemonUdpSockets(a).Single().Inode);

        // A port another process holds: refused (wg fails, EADDRINUSE), nothing changed, the same socket serves.
        using (NetNamespace.Run(a.Host.Name, () =>
        {
            var s = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp) { DualMode = true };
            s.Bind(new IPEndPoint(IPAddress.IPv6Any, 51822));
            return s;
        }))
        {
            var refused = a.Host.Exec("wg", "set", a.Name, "listen-port", "51822");
            output.WriteLine($"listen-port 51822 (taken): exit {refused.ExitCode}: {refused.StdErr.Trim()}");
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Equal(51821, a.Dump().ListenPort);
            Assert.Equal(inode, DaemonUdpSockets(a).Single().Inode);
            Traffic.Ping(b.Host, a.Host.InnerV4);
        }

        // wg syncconf with the original port and a changed peer (keepalive 25, one more allowed IP): both apply.
        var confFile = Path.Combine(Path.GetTempPath(), a.Name + ".sync");
        try
        {
            File.WriteAllText(confFile, new WgConfig(a.Config.Key, Pairs.Port, [],
                [new WgPeer(b.PublicKey, Pairs.HostRoutes(b.Host) + ", 198.19.7.0/24", b.Endpoint(), PersistentKeepalive: 25)]).SetConf());
            a.Wg("syncconf", a.Name, confFile);
        }
        finally
        {
            File.Delete(confFile);
        }
        var synced = a.Dump();
        output.WriteLine("after syncconf:\n" + synced.Text.Replace(a.Config.Key.Private, "(private)", StringComparison.Ordinal));
        Assert.Equal(Pairs.Port, synced.ListenPort);
        var pb = synced.Peer(b.PublicKey);
        Assert.Equal("25", pb.PersistentKeepalive);
        Assert.Contains("198.19.7.0/24", pb.AllowedIps.Split(','));
        Assert.Equal([Pairs.Port], DaemonUdpPorts(a));
        Traffic.Ping(a.Host, b.Host.InnerV4);
        Traffic.Ping(b.Host, a.Host.InnerV4);
        Assert.Equal(pid, a.Process.Pid);
        a.Process.EnsureRunning("after the port changes");
    }

    /// <summary>The daemon's UDP sockets in its namespace: (local port, inode) from <c>ss -uanpe</c>.</summary>
    private static List<(int Port, string Inode)> DaemonUdpSockets(SharpTunWg node)
    {
        var text = node.Host.Must("ss", "-H", "-u", "-a", "-n", "-p", "-e").StdOut;
        List<(int, string)> list = [];
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!line.Contains($"pid={node.Process.Pid},", StringComparison.Ordinal))
            {
                continue;
            }
            var m = SsLine().Match(line);
            Assert.True(m.Success, $"unexpected ss line: {line}");
            list.Add((int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value));
        }
        return list;
    }

    private static List<int> DaemonUdpPorts(SharpTunWg node) => DaemonUdpSockets(node).Select(s => s.Port).ToList();

    [GeneratedRegex(@"^\S+\s+\d+\s+\d+\s+\S+:(\d+)\s.*\bino:(\d+)")]
    private static partial Regex SsLine();
}
