using System.Net;

namespace SharpTun.WireGuard.Tests;

/// <summary>The wg-quick/wg config model: every key of the golden file read back, the writer, the wg setconf request, showconf.</summary>
public sealed class ConfigParserTests
{
    [Fact]
    public void FullConfig_EveryKey()
    {
        var c = WireGuardConfig.Load(ConfigVectors.Path("full.conf"));
        var i = c.Interface;
        Assert.Equal(2, i.Line);
        Assert.Equal(UapiVectors.Key(UapiVectors.PrivateKey), i.PrivateKey);
        Assert.Equal((ushort)51820, i.ListenPort);
        Assert.Equal(0xca6cu, i.FwMark);
        Assert.Equal(["198.18.0.1/24", "2001:db8::1/64", "198.18.5.5/32"], i.Addresses.Select(a => a.ToString()));
        Assert.Equal([IPAddress.Parse("198.18.0.53"), IPAddress.Parse("2001:db8::53")], i.DnsServers);
        Assert.Equal(["corp.example", "example.org"], i.DnsSearch);
        Assert.Equal(1420, i.Mtu);
        Assert.Equal(new RouteTable(RouteTableKind.Id, 51820), i.Table);
        Assert.Equal(["echo pre-up %i"], i.PreUp);
        Assert.Equal(["iptables -A FORWARD -i %i -j ACCEPT", "echo second"], i.PostUp);
        Assert.Equal(["echo pre-down"], i.PreDown);
        Assert.Equal(["iptables -D FORWARD -i %i -j ACCEPT"], i.PostDown);
        Assert.False(i.SaveConfig);
        Assert.True(i.HasWgQuickKeys);

        Assert.Equal(3, c.Peers.Count);
        var p1 = c.Peers[0];
        Assert.Equal(18, p1.Line);
        Assert.Equal(UapiVectors.Key(UapiVectors.Peer1), p1.PublicKey);
        Assert.Equal(UapiVectors.Key(UapiVectors.Psk), p1.PresharedKey);
        Assert.Equal(["198.18.0.0/24", "2001:db8:1::/64", "198.18.0.0/16"], p1.AllowedIps.Select(n => n.ToString()));
        Assert.Equal(new ConfigEndpoint("2001:db8::1", 51820), p1.Endpoint);
        Assert.Equal(NetEndpoint.From(IPEndPoint.Parse("[2001:db8::1]:51820")), p1.Endpoint!.Value.NumericEndpoint);
        Assert.Equal((ushort)25, p1.PersistentKeepalive);
        var p2 = c.Peers[1];
        Assert.Equal(new ConfigEndpoint("vpn.example.com", 51821), p2.Endpoint);
        Assert.Null(p2.Endpoint!.Value.Address);
        Assert.Equal((ushort)0, p2.PersistentKeepalive);
        Assert.Equal(["198.18.2.1/32"], p2.AllowedIps.Select(n => n.ToString()));
        var p3 = c.Peers[2];
        Assert.Empty(p3.AllowedIps);
        Assert.Null(p3.PersistentKeepalive);
        Assert.Null(p3.PresharedKey);
    }

    [Fact]
    public void Writer_EqualsGolden_AndRoundTrips()
    {
        var written = WireGuardConfig.Load(ConfigVectors.Path("full.conf")).ToString();
        Assert.Equal(ConfigVectors.Read("full.written.conf"), written);
        Assert.Equal(written, WireGuardConfig.Parse(written, "again.conf").ToString());
    }

    [Fact]
    public void CrlfLineEndings_AreWhitespace()
    {
        var c = WireGuardConfig.Load(ConfigVectors.Path("crlf.conf"));
        Assert.Equal(UapiVectors.Key(UapiVectors.PrivateKey), c.Interface.PrivateKey);
        Assert.Equal(["0.0.0.0/0", "::/0"], Assert.Single(c.Peers).AllowedIps.Select(n => n.ToString()));
    }

    [Fact]
    public void ToUapiSet_IsWhatWgSetconfSent()
    {
        // Vectors/Uapi/wg-setconf.txt was recorded from the stock wg setconf of this very file.
        var c = WireGuardConfig.Parse(UapiVectors.Read("setconf.conf"), "setconf.conf", ConfigSyntax.Wg);
        Assert.Equal(UapiVectors.Read("wg-setconf.txt"), UapiCodec.FormatSet(c.ToUapiSet()));
    }

    [Fact]
    public void ToUapiSet_ResolvesHostNames_OnlyThroughTheResolver()
    {
        var c = WireGuardConfig.Load(ConfigVectors.Path("full.conf"));
        var e = Assert.Throws<InvalidOperationException>(() => c.ToUapiSet());
        Assert.Equal($"peer {UapiVectors.Peer2}: endpoint 'vpn.example.com:51821' is a host name and no resolver was given", e.Message);
        var asked = new List<ConfigEndpoint>();
        var r = c.ToUapiSet(ep => { asked.Add(ep); return NetEndpoint.From(IPEndPoint.Parse("198.18.3.3:51821")); });
        Assert.Equal([new ConfigEndpoint("vpn.example.com", 51821)], asked);
        Assert.Equal("198.18.3.3:51821", r.Peers[1].Endpoint!.Value.ToString());
    }

    [Fact]
    public void FromUapi_IsWhatWgShowconfPrinted()
    {
        Assert.Equal(UapiVectors.Read("get.wg-showconf.conf"), WireGuardConfig.FromUapi(UapiGetTests.GoldenDevice()).ToString());
        // and wg syntax reads it back
        var c = WireGuardConfig.Parse(UapiVectors.Read("get.wg-showconf.conf"), "showconf.conf", ConfigSyntax.Wg);
        Assert.Equal((uint)0x1234, c.Interface.FwMark);
    }

    [Theory]
    [InlineData("SaveConfig = true", true)]
    [InlineData("SaveConfig = FALSE", false)]
    public void SaveConfig_Parsed(string line, bool expected)
    {
        Assert.Equal(expected, WireGuardConfig.Parse($"[Interface]\n{line}\n").Interface.SaveConfig);
    }

    [Theory]
    [InlineData("auto", RouteTableKind.Auto, 0u, null)]
    [InlineData("OFF", RouteTableKind.Off, 0u, null)]
    [InlineData("1234", RouteTableKind.Id, 1234u, null)]
    [InlineData("main", RouteTableKind.Name, 0u, "main")]
    [InlineData("vpn_table-2", RouteTableKind.Name, 0u, "vpn_table-2")]
    public void Table_Forms(string value, RouteTableKind kind, uint id, string? name)
    {
        Assert.Equal(new RouteTable(kind, id, name), WireGuardConfig.Parse($"[Interface]\nTable = {value}\n").Interface.Table);
    }

    [Theory]
    [InlineData("off", 0u)]
    [InlineData("0", 0u)]
    [InlineData("51820", 51820u)]
    [InlineData("0xCA6C", 0xca6cu)]
    [InlineData("4294967295", uint.MaxValue)]
    public void FwMark_Forms(string value, uint mark)
    {
        Assert.Equal(mark, WireGuardConfig.Parse($"[Interface]\nFwMark = {value}\n").Interface.FwMark);
    }

    [Theory]
    [InlineData("wg0", "/etc/wireguard/wg0.conf", "wg0")]
    [InlineData("/tmp/x/wg-home.conf", "/tmp/x/wg-home.conf", "wg-home")]
    [InlineData("office.conf", "office.conf", "office")]
    [InlineData("wg0.cfg", "/etc/wireguard/wg0.cfg.conf", "wg0.cfg")]
    public void ResolvePath_AsWgQuick(string arg, string path, string name)
    {
        Assert.Equal((path, name), WireGuardConfig.ResolvePath(arg));
    }

    [Theory]
    [InlineData("/etc/wireguard/this-name-is-too-long.conf")]
    [InlineData("/tmp/wg0.cfg")]
    [InlineData("bad name")]
    public void ResolvePath_RejectsNamesWgQuickRejects(string arg)
    {
        var e = Assert.Throws<ArgumentException>(() => WireGuardConfig.ResolvePath(arg));
        Assert.Contains("must be named after the interface, NAME.conf", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpandHook_ReplacesInterfaceName()
    {
        Assert.Equal("iptables -A FORWARD -i wg0 -o wg0", WireGuardConfig.ExpandHook("iptables -A FORWARD -i %i -o %i", "wg0"));
    }

    [Fact]
    public void EmptyFile_IsAnEmptyConfig()
    {
        var c = WireGuardConfig.Parse("# nothing\n\n");
        Assert.Empty(c.Peers);
        Assert.Null(c.Interface.PrivateKey);
        Assert.Equal("[Interface]\n", c.ToString());
    }
}
