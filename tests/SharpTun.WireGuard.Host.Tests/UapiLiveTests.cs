using System.Net;
using SharpTun.Linux.Namespaces;
using SharpTun.Linux.Tun;
using SharpTun.WireGuard;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>The stock <c>wg</c> against our UAPI socket: show/dump, set, remove, showconf → setconf round trip, syncconf, malformed requests.</summary>
public sealed class UapiLiveTests(ITestOutputHelper output) : IDisposable
{
    private readonly NetNs _ns = NetNs.Create("sthu");
    private readonly string _name = UniqueName.Next("wsu");
    private readonly byte[] _key = WireGuardKeys.GeneratePrivateKey();
    private WireGuardInterface? _interface;
    private UapiServer? _server;

    private WireGuardInterface Start()
    {
        _interface = NetNamespace.Run(_ns.Name, () =>
            new WireGuardInterface(TunDevice.Open(new TunOptions { Name = _name, Exclusive = true }), _key,
                (port, mark) => NetNamespace.Run(_ns.Name, () => WireGuardHost.DefaultBind(port, mark)), 0,
                log: new HostLog(new XunitWriter(output), HostLogLevel.Debug)));
        _interface.Start();
        _server = UapiServer.Start(_name, new UapiHandler(_interface, new HostLog(new XunitWriter(output), HostLogLevel.Debug)).Handle, get: _interface.WriteGet);
        return _interface;
    }

    private string Wg(params string[] args) => _ns.Exec("wg", args).EnsureSuccess().StdOut;

    [RootFact]
    public void WgShowDump_ListsKeysPortAndPeers_AndSocketIs0600()
    {
        var wg = Start();
        var peerKey = WireGuardKeys.PublicKey(WireGuardKeys.GeneratePrivateKey());
        wg.SetPeer(peerKey, endpoint: NetEndpoint.From(new IPEndPoint(IPAddress.Parse("198.18.0.9"), 51820)),
            persistentKeepalive: TimeSpan.FromSeconds(25), allowedIps: [IPNetwork.Parse("198.19.0.0/24"), IPNetwork.Parse("2001:db8::/64")]);
        // The keepalive setting starts a handshake on the next timer tick: wait for its initiation to be counted.
        Poll.Until(() => wg.GetPeers()[0].TransmitBytes == 148, "the persistent keepalive's first initiation", TimeSpan.FromSeconds(10));
        var lines = Wg("show", _name, "dump").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal(string.Join('\t', WireGuardKeys.ToBase64(_key), WireGuardKeys.ToBase64(WireGuardKeys.PublicKey(_key)), wg.ActualListenPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "off"), lines[0]);
        var fields = lines[1].Split('\t');
        Assert.Equal([WireGuardKeys.ToBase64(peerKey), "(none)", "198.18.0.9:51820", "198.19.0.0/24,2001:db8::/64", "0", "0"], fields[..6]);
        Assert.Equal("148", fields[6]);
        Assert.Equal("25", fields[7]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_server!.Path));
    }

    [RootFact]
    public void WgSet_AddsChangesAndRemovesPeersLive()
    {
        var wg = Start();
        var k1 = WireGuardKeys.ToBase64(WireGuardKeys.PublicKey(WireGuardKeys.GeneratePrivateKey()));
        var pskFile = Path.Combine(Path.GetTempPath(), _name + ".psk");
        var psk = WireGuardKeys.GeneratePresharedKey();
        File.WriteAllText(pskFile, WireGuardKeys.ToBase64(psk) + "\n");
        try
        {
            Wg("set", _name, "listen-port", "0", "peer", k1, "allowed-ips", "198.19.0.5/32,198.19.1.0/24", "endpoint", "[2001:db8::7]:4000", "preshared-key", pskFile);
        }
        finally
        {
            File.Delete(pskFile);
        }
        var p = Assert.Single(wg.GetPeers());
        Assert.Equal(k1, WireGuardKeys.ToBase64(p.PublicKey));
        Assert.Equal(psk, p.PresharedKey);
        Assert.Equal("[2001:db8::7]:4000", p.Endpoint!.ToString());
        Assert.Equal(["198.19.0.5/32", "198.19.1.0/24"], p.AllowedIps.Select(a => $"{a.Address}/{a.PrefixLength}").Order());

        Wg("set", _name, "peer", k1, "allowed-ips", "198.19.2.0/24");
        Assert.Equal(["198.19.2.0/24"], Assert.Single(wg.GetPeers()).AllowedIps.Select(a => $"{a.Address}/{a.PrefixLength}"));
        Assert.Equal(psk, Assert.Single(wg.GetPeers()).PresharedKey);

        Wg("set", _name, "peer", k1, "remove");
        Assert.Empty(wg.GetPeers());
        Assert.Null(wg.Configure(d => d.AllowedIps.Lookup(IPAddress.Parse("198.19.2.1"))));
    }

    [RootFact]
    public void Showconf_RoundTripsThroughSetconf_AndSyncconfRemovesAPeer()
    {
        var wg = Start();
        var k1 = WireGuardKeys.PublicKey(WireGuardKeys.GeneratePrivateKey());
        var k2 = WireGuardKeys.PublicKey(WireGuardKeys.GeneratePrivateKey());
        wg.SetPeer(k1, endpoint: NetEndpoint.From(new IPEndPoint(IPAddress.Parse("198.18.0.2"), 51820)), allowedIps: [IPNetwork.Parse("198.19.0.2/32")]);
        wg.SetPeer(k2, persistentKeepalive: TimeSpan.FromSeconds(15), allowedIps: [IPNetwork.Parse("198.19.0.3/32")]);
        var conf = Wg("showconf", _name);
        output.WriteLine(conf);
        var file = Path.Combine(Path.GetTempPath(), _name + ".conf");
        try
        {
            File.WriteAllText(file, conf);
            Wg("setconf", _name, file);
            Assert.Equal(conf, Wg("showconf", _name));
            Assert.Equal(2, wg.GetPeers().Count);

            // syncconf with the second peer's section cut out: it goes, the first stays untouched.
            var withoutSecond = conf[..conf.IndexOf("[Peer]", conf.IndexOf("[Peer]", StringComparison.Ordinal) + 1, StringComparison.Ordinal)];
            File.WriteAllText(file, withoutSecond);
            Wg("syncconf", _name, file);
            var left = Assert.Single(wg.GetPeers());
            Assert.Equal(k1, left.PublicKey);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [RootFact]
    public void WgSetListenPort_RebindsLive_AndATakenPortChangesNothing()
    {
        var wg = Start();
        Wg("set", _name, "listen-port", "51999");
        Assert.Equal(51999, wg.ActualListenPort);
        Assert.Equal("51999", Wg("show", _name, "listen-port").Trim());
        // A port another socket holds: EADDRINUSE, the interface keeps its socket.
        using var blocker = SharpTun.Linux.Namespaces.NetNamespace.Run(_ns.Name, () => WireGuardHost.DefaultBind(52000, 0));
        var r = _ns.Exec("wg", ["set", _name, "listen-port", "52000"]);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Equal(51999, wg.ActualListenPort);
    }

    [RootFact]
    public void MalformedSet_GetsErrno_AndChangesNothing()
    {
        var wg = Start();
        var k1 = WireGuardKeys.PublicKey(WireGuardKeys.GeneratePrivateKey());
        wg.SetPeer(k1, allowedIps: [IPNetwork.Parse("198.19.0.2/32")]);
        var before = UapiClient.Send(_name, UapiCodec.GetRequest);
        var k2hex = Convert.ToHexStringLower(WireGuardKeys.PublicKey(WireGuardKeys.GeneratePrivateKey()));
        // Valid lines first (replace_peers, a new peer), then a bad value: nothing of it may apply.
        var answer = UapiClient.Send(_name, $"set=1\nreplace_peers=true\npublic_key={k2hex}\nallowed_ip=198.19.0.9/32\npersistent_keepalive_interval=abc\n\n");
        Assert.StartsWith("errno=-", answer, StringComparison.Ordinal);
        Assert.NotEqual("errno=0\n\n", answer);
        Assert.Equal(before, UapiClient.Send(_name, UapiCodec.GetRequest));
        // A wrong operation closes the connection without an answer, as wireguard-go does.
        Assert.Throws<IOException>(() => UapiClient.Send(_name, "bogus=1\n\n"));
        Assert.Equal(before, UapiClient.Send(_name, UapiCodec.GetRequest));
    }

    public void Dispose()
    {
        _server?.Dispose();
        _interface?.Dispose();
        _ns.Dispose();
    }
}
