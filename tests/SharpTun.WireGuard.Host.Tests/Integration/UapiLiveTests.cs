using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// Issue 13, third test: the stock <c>wg</c> tool against SharpTun's UAPI socket. SharpTun is the
/// server on host 1; its peers are wireguard-go (Debian), so only the server side is SharpTun's.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed partial class UapiLiveTests(ITestOutputHelper output)
{
    [RootFact]
    public void WgShowDump_SetAddsPeerLive_SyncconfRemovesIt_ShowconfRoundTripsThroughSetconf()
    {
        using var lab = new WireLab();
        var hs = lab.AddHost();
        var ha = lab.AddHost();
        var hb = lab.AddHost();
        var ks = WgKey.Generate();
        var ka = WgKey.Generate();
        var kb = WgKey.Generate();
        var a = WireGuardGo.Start(ha, new WgConfig(ka, Pairs.Port, Pairs.InnerAddresses(ha), [new WgPeer(ks.Public, "198.19.0.0/24, 2001:db8:2::/64")]), WireGuardGo.Debian);
        var b = WireGuardGo.Start(hb, new WgConfig(kb, Pairs.Port, Pairs.InnerAddresses(hb), [new WgPeer(ks.Public, "198.19.0.0/24, 2001:db8:2::/64")]), WireGuardGo.Debian);
        var s = SharpTunWg.Start(hs, new WgConfig(ks, Pairs.Port, Pairs.InnerAddresses(hs), [a.AsPeer(Pairs.HostRoutes(ha))]));
        var pid = s.Process.Pid;

        // dump: the interface line, the peer, its endpoint, a handshake time, counters equal to SharpTun's own.
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Traffic.Ping(hs, ha.InnerV4, count: 5);
        var dump = s.Dump();
        output.WriteLine("wg show dump after ping:\n" + dump.Text);
        Assert.Equal(ks.Public, dump.PublicKey);
        Assert.Equal(Pairs.Port, dump.ListenPort);
        Assert.Equal("off", dump.FwMark);
        Assert.Equal(ks.Private, dump.PrivateKey);
        var pa = Assert.Single(dump.Peers);
        Assert.Equal(ka.Public, pa.PublicKey);
        Assert.Equal($"{ha.OuterV4}:{Pairs.Port}", pa.Endpoint);
        Assert.Equal(new[] { $"{ha.InnerV4}/32", $"{ha.InnerV6}/128" }.Order(), pa.AllowedIps.Split(',').Order());
        Assert.InRange(pa.LatestHandshake, before - 5, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);
        Assert.True(pa.RxBytes > 0 && pa.TxBytes > 0, $"transfer rx {pa.RxBytes} tx {pa.TxBytes}");
        AssertCountersEqualShowJson(s, ka.Public);

        // wg set adds a second peer to the running tunnel; traffic to it flows without a restart.
        s.Wg("set", s.Name, "peer", kb.Public, "allowed-ips", Pairs.HostRoutes(hb).Replace(" ", "", StringComparison.Ordinal),
            "endpoint", $"{hb.OuterV4}:{Pairs.Port}");
        Assert.Equal(2, s.Dump().Peers.Count);
        output.WriteLine($"after wg set: ping S->B v4 {Traffic.Ping(hs, hb.InnerV4):0.000} ms, B->S v6 {Traffic.Ping(hb, hs.InnerV6):0.000} ms");
        Traffic.Ping(hs, ha.InnerV4);
        Assert.Equal(pid, s.Process.Pid);
        s.Process.EnsureRunning("after wg set");

        // wg showconf round-trips through wg setconf (the same text back).
        var conf = s.Wg("showconf", s.Name);
        Assert.Contains(kb.Public, conf, StringComparison.Ordinal);
        var confFile = Path.Combine(Path.GetTempPath(), s.Name + ".showconf");
        try
        {
            File.WriteAllText(confFile, conf);
            s.Wg("setconf", s.Name, confFile);
            Assert.Equal(Normalize(conf), Normalize(s.Wg("showconf", s.Name)));
            Traffic.Ping(hs, hb.InnerV4);

            // wg syncconf with peer A only removes B, keeps A (and its session) working.
            File.WriteAllText(confFile, new WgConfig(ks, Pairs.Port, [], [a.AsPeer(Pairs.HostRoutes(ha))]).SetConf());
            s.Wg("syncconf", s.Name, confFile);
        }
        finally
        {
            File.Delete(confFile);
        }
        var synced = s.Dump();
        Assert.Equal(ka.Public, Assert.Single(synced.Peers).PublicKey);
        var lost = Traffic.PingRaw(hs, hb.InnerV4, count: 3, deadlineSeconds: 3);
        Assert.Equal(0, Traffic.Received(lost.StdOut));
        Traffic.Ping(hs, ha.InnerV4);
        Assert.Equal(pid, s.Process.Pid);
        s.Process.EnsureRunning("after wg syncconf");
        Assert.True(b.Process.IsRunning);
    }

    [RootFact]
    public void MalformedUapiRequests_GetErrno_ChangeNothing_SocketIs0600Root()
    {
        using var lab = new WireLab();
        var hs = lab.AddHost();
        var ha = lab.AddHost();
        var ks = WgKey.Generate();
        var ka = WgKey.Generate();
        var s = SharpTunWg.Start(hs, Pairs.Config(hs, ks, ha, ka));

        var stat = Run.Exec("stat", ["-c", "%a %U %F", s.SocketPath]).EnsureSuccess().StdOut.Trim();
        Assert.Equal("600 root socket", stat);

        var conf = s.Wg("showconf", s.Name);
        var fresh = Hex(WgKey.Generate().Public);
        string[] requests =
        [
            "set=1\nlisten_port=not-a-port\n\n",
            "set=1\nlisten_port=70000\n\n",
            "set=1\nprivate_key=zz\n\n",
            "set=1\npublic_key=0011\n\n",
            "set=1\nno_such_key=1\n\n",
            $"set=1\npublic_key={fresh}\nallowed_ip=198.19.0.300/32\n\n",
            $"set=1\npublic_key={fresh}\nendpoint=not-an-endpoint\n\n",
            $"set=1\npublic_key={fresh}\npersistent_keepalive_interval=-1\n\n",
            // Valid lines before the bad one: the whole request must be refused, not half applied.
            $"set=1\nlisten_port=40404\npublic_key={fresh}\nallowed_ip=198.19.0.77/32\nreplace_allowed_ips=maybe\n\n",
            $"set=1\nreplace_peers=true\npublic_key={fresh}\nprotocol_version=2\n\n",
        ];
        foreach (var request in requests)
        {
            var answer = Uapi.Request(s.Name, request);
            output.WriteLine($"{Uapi.Escape(request)} -> {Uapi.Escape(answer)}");
            var m = ErrnoLine().Match(answer);
            Assert.True(m.Success, $"no errno= line in the answer to {Uapi.Escape(request)}: '{Uapi.Escape(answer)}'");
            Assert.NotEqual("0", m.Groups[1].Value);
            Assert.Equal(Normalize(conf), Normalize(s.Wg("showconf", s.Name)));
        }
        // Still serving, and a well-formed set still works afterwards.
        Assert.Equal("errno=0\n\n", Uapi.Request(s.Name, "set=1\nlisten_port=51821\n\n"));
        Assert.Equal(51821, s.Dump().ListenPort);
        s.Process.EnsureRunning("after the malformed requests");
    }

    /// <summary>Reads dump, JSON, dump until both dumps agree (no packet in between), then compares the counters.</summary>
    private void AssertCountersEqualShowJson(SharpTunWg s, string peer)
    {
        string last = "";
        Poll.Until(() =>
        {
            var d1 = s.Dump().Peer(peer);
            var json = s.Show();
            var d2 = s.Dump().Peer(peer);
            last = $"dump rx {d1.RxBytes} tx {d1.TxBytes} / json rx {json.PeerRx(peer)} tx {json.PeerTx(peer)} / dump rx {d2.RxBytes} tx {d2.TxBytes}\n{json.Text}";
            return d1 == d2 && json.PeerRx(peer) == d1.RxBytes && json.PeerTx(peer) == d1.TxBytes;
        }, "wg show dump transfer counters to equal sharptun wg show --json's", TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(500));
        output.WriteLine("counters: " + last.Split('\n')[0]);
    }

    private static string Hex(string base64) => Convert.ToHexStringLower(Convert.FromBase64String(base64));

    private static string Normalize(string conf) =>
        string.Join('\n', conf.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    [GeneratedRegex(@"(?m)^errno=(-?\d+)$")]
    private static partial Regex ErrnoLine();
}
