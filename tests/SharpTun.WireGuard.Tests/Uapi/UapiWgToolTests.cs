namespace SharpTun.WireGuard.Tests;

/// <summary>
/// The stock <c>wg</c> as the judge of the codec: it reads our get answer (show dump, showconf) and
/// its set requests parse into what was asked. Root: /var/run/wireguard belongs to root.
/// </summary>
public sealed class UapiWgToolTests
{
    [RootFact]
    public void WgShowDump_And_Showconf_ReadOurGetAnswer()
    {
        using var server = new FakeUapiServer(UniqueName.Next("wgu"), UapiGetTests.GoldenDevice());
        var dump = Run.Exec("wg", ["show", server.Name, "dump"]);
        Assert.True(dump.ExitCode == 0, dump.ToString());
        Assert.Equal(UapiVectors.Read("get.wg-show-dump.txt"), dump.StdOut);
        var conf = Run.Exec("wg", ["showconf", server.Name]);
        Assert.True(conf.ExitCode == 0, conf.ToString());
        Assert.Equal(UapiVectors.Read("get.wg-showconf.conf"), conf.StdOut);
    }

    [RootFact]
    public void WgSet_RequestsParse_AndBadOnesReportInvalidArgument()
    {
        using var server = new FakeUapiServer(UniqueName.Next("wgu"), new UapiDevice());
        var set = Run.Exec("wg", ["set", server.Name, "listen-port", "51999", "peer", UapiVectors.Peer1, "endpoint", "[2001:db8::7]:1234",
            "allowed-ips", "198.18.9.0/24", "persistent-keepalive", "off"]);
        Assert.True(set.ExitCode == 0, set.ToString());
        var r = UapiCodec.ParseSet(Assert.Single(server.SetRequests));
        Assert.Equal((ushort)51999, r.ListenPort);
        var p = Assert.Single(r.Peers);
        Assert.Equal(UapiVectors.Key(UapiVectors.Peer1), p.PublicKey);
        Assert.Equal("[2001:db8::7]:1234", p.Endpoint.ToString());
        Assert.Equal((ushort)0, p.PersistentKeepaliveInterval);
        Assert.Equal(["198.18.9.0/24"], p.AllowedIps.Select(n => n.ToString()));

        // A link-local endpoint with a scope id passes wg but not our codec: wg must print the errno in words.
        var bad = Run.Exec("wg", ["set", server.Name, "peer", UapiVectors.Peer1, "endpoint", "[fe80::1%lo]:1234"]);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("Invalid argument", bad.StdErr, StringComparison.Ordinal);
    }
}
