using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SharpTun.Linux.Namespaces;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// Issue 10, encrypted TCP fallback between two SharpTun daemons: with UDP dropped by nftables on
/// the client's wire the tunnel comes up over TCP (judged by the stock <c>wg</c>: the server sees the
/// client at its TCP source port; <c>ss</c>: one established connection), carries ping and a 64 MiB
/// SHA-256-checked stream; with UDP allowed again the next UDP probe moves it back. Hostile TCP input
/// against the server's listener is closed and never reaches its tun.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class TcpFallbackLiveTests(ITestOutputHelper output)
{
    private const int Port = Pairs.Port;

    [RootFact]
    public void UdpBlocked_UpOverTcp_Ping_64MiB_Unblocked_BackOnUdp()
    {
        using var lab = new WireLab();
        var hc = lab.AddHost();
        var hs = lab.AddHost();
        var kc = WgKey.Generate();
        var ks = WgKey.Generate();
        using var block = Nft.BlockUdp(hc, Port);
        var server = TransportNode.Start(hs, new WgConfig(ks, Port, Pairs.InnerAddresses(hs), [new WgPeer(kc.Public, Pairs.HostRoutes(hc))]),
            tcpListenPort: Port, tcpEndpoints: null);
        var started = Stopwatch.StartNew();
        var client = TransportNode.Start(hc, new WgConfig(kc, Port, Pairs.InnerAddresses(hc),
                [new WgPeer(ks.Public, Pairs.HostRoutes(hs), $"{hs.OuterV4}:{Port}", PersistentKeepalive: 25)]),
            tcpListenPort: null, tcpEndpoints: new Dictionary<string, string> { [ks.Public] = $"{hs.OuterV4}:{Port}" },
            env: new Dictionary<string, string> { ["SHARPTUN_WG_UDP_PROBE_SECONDS"] = "10" });

        client.WaitForHandshake(ks.Public, timeout: TimeSpan.FromSeconds(60));
        var upAfter = started.Elapsed;
        output.WriteLine($"handshake over TCP {upAfter.TotalSeconds:0.0} s after the client started; UDP datagrams dropped by nft: {block.Dropped()}");
        Assert.True(block.Dropped() >= 3, $"nft dropped {block.Dropped()} UDP datagrams: the client did not try UDP first");
        Assert.True(upAfter < TimeSpan.FromSeconds(45), $"the tunnel took {upAfter.TotalSeconds:0.0} s to come up over TCP (bound 45 s)");
        var seenByServer = IPEndPoint.Parse(server.EndpointOf(client));
        Assert.Equal(hc.OuterV4, seenByServer.Address.ToString());
        Assert.NotEqual(Port, seenByServer.Port); // the client's TCP source port, not its UDP port
        var tcp = hc.Must("ss", "-H", "-t", "-n", "state", "established", "dst", $"{hs.OuterV4}:{Port}").StdOut.Trim();
        Assert.Contains($":{seenByServer.Port}", tcp, StringComparison.Ordinal);
        Assert.Contains("falling back to TCP", client.Log, StringComparison.Ordinal);

        var rtt = Traffic.Ping(hc, hs.InnerV4, count: 5);
        output.WriteLine($"ping over TCP: avg rtt {rtt:0.000} ms");
        var seed = TestSeed.Get(output);
        var t = Traffic.TcpTransfer(hc, hs, hs.InnerV4, 64L << 20, seed);
        output.WriteLine($"64 MiB over the TCP fallback in {t.Seconds:0.00} s ({64 * 8 / 1024.0 / t.Seconds:0.00} Gbit/s)");
        Assert.Equal(64L << 20, t.Length);
        Assert.Equal(t.Sent, t.Received);
        var v6 = Traffic.Ping(hs, hc.InnerV6, count: 3);
        output.WriteLine($"ping server->client v6 over TCP: {v6:0.000} ms");

        // UDP allowed again: within a probe interval (10 s) and a handshake, the server sees the client's UDP port.
        var dropped = block.Dropped();
        block.Remove();
        var unblocked = Stopwatch.StartNew();
        client.Process.WaitUntil(() => server.EndpointOf(client) == $"{hc.OuterV4}:{Port}", "the server to see the client over UDP again", TimeSpan.FromSeconds(60));
        output.WriteLine($"back on UDP {unblocked.Elapsed.TotalSeconds:0.0} s after the block was lifted ({dropped} UDP datagrams had been dropped)");
        client.Process.WaitForOutput("handshake completed over UDP", TimeSpan.FromSeconds(30));
        Traffic.Ping(hc, hs.InnerV4, count: 3);
        // Data now goes over UDP: a burst of pings moves the server's UDP receive counter.
        var udpBefore = UdpInDatagrams(hs);
        Traffic.Ping(hc, hs.InnerV4, count: 5);
        Assert.True(UdpInDatagrams(hs) - udpBefore >= 5, "pings after the switch did not arrive over UDP");
        client.Process.EnsureRunning("the test ended");
        server.Process.EnsureRunning("the test ended");
    }

    [RootFact]
    public void HostileTcp_GarbageBadLengthsIdleFlood_Closed_NothingReachesTheTun()
    {
        using var lab = new WireLab();
        var hs = lab.AddHost();
        var hc = lab.AddHost();
        var ha = lab.AddHost();
        var ks = WgKey.Generate();
        var kc = WgKey.Generate();
        var server = TransportNode.Start(hs, new WgConfig(ks, Port, Pairs.InnerAddresses(hs), [new WgPeer(kc.Public, Pairs.HostRoutes(hc))]),
            tcpListenPort: Port, tcpEndpoints: null);
        var client = TransportNode.Start(hc, new WgConfig(kc, Port, Pairs.InnerAddresses(hc), [new WgPeer(ks.Public, Pairs.HostRoutes(hs), $"{hs.OuterV4}:{Port}")]),
            tcpListenPort: null, tcpEndpoints: null);
        Traffic.Ping(hc, hs.InnerV4, count: 2);
        var rx0 = server.DeliveredPackets();
        var to = new IPEndPoint(IPAddress.Parse(hs.OuterV4), Port);
        var seed = TestSeed.Get(output);
        var rng = new Random(seed);

        // Garbage and bad lengths: each connection is closed by the server.
        var cases = new List<(string Name, byte[] Bytes)>
        {
            ("http", "GET / HTTP/1.1\r\nHost: vpn\r\n\r\n"u8.ToArray()),
            ("zero length", [0, 0, 1, 0, 0, 0]),
            ("length 65535", [0xff, 0xff, 4, 0, 0, 0, .. new byte[64]]),
            ("length 20", [0, 20, .. new byte[20]]),
            ("4096-byte data first", [0x10, 0x00, 4, 0, 0, 0, .. new byte[4092]]),
        };
        for (var i = 0; i < 20; i++)
        {
            var b = new byte[rng.Next(1, 3000)];
            rng.NextBytes(b);
            cases.Add(($"random {b.Length} bytes", b));
        }
        foreach (var (name, bytes) in cases)
        {
            using var s = Connect(ha, to);
            s.Send(bytes);
            Assert.True(ClosedByPeer(s, TimeSpan.FromSeconds(10)), $"{name}: the server kept the connection open");
        }

        // A flood of idle connections: at most 32 stay while they wait, all are gone after the first-frame deadline (5 s).
        var idle = new List<Socket>();
        try
        {
            for (var i = 0; i < 200; i++)
            {
                idle.Add(Connect(ha, to));
            }
            var open = EstablishedTo(hs);
            output.WriteLine($"200 idle connections opened; the server holds {open}");
            Assert.True(open <= 32 + 2, $"the server holds {open} unanswered connections (cap 32)");
            server.Process.WaitUntil(() => EstablishedTo(hs) == 0, "idle connections closed by the first-frame deadline", TimeSpan.FromSeconds(30));
            Assert.All(idle, s => Assert.True(ClosedByPeer(s, TimeSpan.FromSeconds(5)), "an idle connection stayed open"));
        }
        finally
        {
            foreach (var s in idle)
            {
                s.Dispose();
            }
        }

        Assert.Equal(rx0, server.DeliveredPackets());
        Traffic.Ping(hc, hs.InnerV4, count: 2);
        Assert.Equal(rx0 + 2, server.DeliveredPackets());
        server.Process.EnsureRunning("the test ended");
        client.Process.EnsureRunning("the test ended");
    }

    [RootFact]
    public void OnTcp_ServerChangesListenPortAndFwmark_TcpListenerSurvives_TunnelRecovers()
    {
        using var lab = new WireLab();
        var hc = lab.AddHost();
        var hs = lab.AddHost();
        var kc = WgKey.Generate();
        var ks = WgKey.Generate();
        using var block = Nft.BlockUdp(hc, Port);
        var server = TransportNode.Start(hs, new WgConfig(ks, Port, Pairs.InnerAddresses(hs), [new WgPeer(kc.Public, Pairs.HostRoutes(hc))]),
            tcpListenPort: Port, tcpEndpoints: null);
        var client = TransportNode.Start(hc, new WgConfig(kc, Port, Pairs.InnerAddresses(hc),
                [new WgPeer(ks.Public, Pairs.HostRoutes(hs), $"{hs.OuterV4}:{Port}", PersistentKeepalive: 5)]),
            tcpListenPort: null, tcpEndpoints: new Dictionary<string, string> { [ks.Public] = $"{hs.OuterV4}:{Port}" });
        client.WaitForHandshake(ks.Public, timeout: TimeSpan.FromSeconds(60));
        Traffic.Ping(hc, hs.InnerV4, count: 2);

        // A new UDP port (a new bind while the old one still holds the TCP port), then a new fwmark on it (close, then reopen).
        var phase = Stopwatch.StartNew();
        server.Wg("set", server.Name, "listen-port", "51830");
        Assert.Contains("51830", server.Wg("show", server.Name, "listen-port"), StringComparison.Ordinal);
        client.Process.WaitUntil(() => Traffic.PingRaw(hc, hs.InnerV4, count: 1, deadlineSeconds: 2).ExitCode == 0,
            "a ping over TCP after the server's listen-port change (the client redials at once)", TimeSpan.FromSeconds(20));
        output.WriteLine($"tunnel back {phase.Elapsed.TotalSeconds:0.0} s after the listen-port change");
        // The listener moved to the new bind: one TCP listener on the fallback port, and the old UDP port is closed.
        Assert.Single(hs.Must("ss", "-H", "-t", "-l", "-n", "sport", "=", $":{Port}").StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(hs.Must("ss", "-H", "-u", "-a", "-n", "sport", "=", $":{Port}").StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        phase.Restart();
        server.Wg("set", server.Name, "fwmark", "0x1234");
        client.Process.WaitUntil(() => Traffic.PingRaw(hc, hs.InnerV4, count: 1, deadlineSeconds: 2).ExitCode == 0,
            "a ping over TCP after the server's fwmark change", TimeSpan.FromSeconds(20));
        output.WriteLine($"tunnel back {phase.Elapsed.TotalSeconds:0.0} s after the fwmark change");
        Assert.Single(hs.Must("ss", "-H", "-t", "-l", "-n", "sport", "=", $":{Port}").StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        server.Process.EnsureRunning("the test ended");
        client.Process.EnsureRunning("the test ended");
    }

    private static Socket Connect(LabHost from, IPEndPoint to)
    {
        var s = NetNamespace.Run(from.Name, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        s.Connect(to);
        return s;
    }

    private static bool ClosedByPeer(Socket s, TimeSpan within)
    {
        s.ReceiveTimeout = (int)within.TotalMilliseconds;
        var buffer = new byte[256];
        try
        {
            while (true)
            {
                if (s.Receive(buffer) == 0)
                {
                    return true;
                }
            }
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode == SocketError.ConnectionReset;
        }
    }

    /// <summary>Established TCP connections on the server's fallback port (<c>ss</c>).</summary>
    private static int EstablishedTo(LabHost server) =>
        server.Must("ss", "-H", "-t", "-n", "state", "established", "sport", $"= :{Port}").StdOut
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>UDP datagrams the host's kernel delivered to sockets (<c>/proc/net/snmp</c> Udp InDatagrams, read in its namespace).</summary>
    private static long UdpInDatagrams(LabHost host)
    {
        var lines = host.Must("cat", "/proc/net/snmp").StdOut.Split('\n').Where(l => l.StartsWith("Udp:", StringComparison.Ordinal)).ToList();
        var names = lines[0].Split(' ');
        var values = lines[1].Split(' ');
        return long.Parse(values[Array.IndexOf(names, "InDatagrams")], System.Globalization.CultureInfo.InvariantCulture);
    }
}
