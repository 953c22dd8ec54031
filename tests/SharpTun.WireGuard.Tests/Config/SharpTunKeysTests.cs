namespace SharpTun.WireGuard.Tests;

/// <summary>SharpTun's own config keys (TcpListenPort, TcpEndpoint): read in wg-quick syntax, written back, refused in wg syntax, never sent to a wg device.</summary>
public sealed class SharpTunKeysTests
{
    private const string Key1 = "GDX2fdtJ0hUXjCkdtNJUpUhBmXNJbd0fUy4QhcT9I14=";
    private const string Key2 = "kQYFgdEmSKOU3nQ6jJNbO8RBPzqDTB2HlCvU6M0I0Xc=";

    private const string Text = $"""
        [Interface]
        PrivateKey = {Key1}
        ListenPort = 51820
        TcpListenPort = 443

        [Peer]
        PublicKey = {Key2}
        AllowedIPs = 198.19.0.2/32
        Endpoint = vpn.example.net:51820
        TcpEndpoint = [2001:db8::2]:443
        """;

    [Fact]
    public void Parse_Write_Parse_KeepsTheKeys()
    {
        var c = WireGuardConfig.Parse(Text, "tcp.conf");
        Assert.Equal((ushort)443, c.Interface.TcpListenPort);
        Assert.True(c.Interface.HasSharpTunKeys);
        Assert.False(c.Interface.HasWgQuickKeys);
        Assert.Equal("[2001:db8::2]:443", c.Peers[0].TcpEndpoint!.ToString());
        var written = c.ToString();
        Assert.Contains("TcpListenPort = 443\n", written, StringComparison.Ordinal);
        Assert.Contains("TcpEndpoint = [2001:db8::2]:443\n", written, StringComparison.Ordinal);
        var again = WireGuardConfig.Parse(written, "again.conf");
        Assert.Equal(written, again.ToString());
        Assert.Equal((ushort)443, again.Interface.TcpListenPort);
        Assert.Equal("[2001:db8::2]:443", again.Peers[0].TcpEndpoint!.ToString());
    }

    [Fact]
    public void TcpListenPortOff_RoundTripsAsOff()
    {
        var c = WireGuardConfig.Parse(Text.Replace("TcpListenPort = 443", "TcpListenPort = off", StringComparison.Ordinal), "off.conf");
        Assert.Equal((ushort)0, c.Interface.TcpListenPort);
        Assert.Contains("TcpListenPort = off\n", c.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void UapiSet_CarriesNoSharpTunKey()
    {
        var c = WireGuardConfig.Parse(Text.Replace("vpn.example.net", "198.18.0.2", StringComparison.Ordinal), "tcp.conf");
        var set = UapiCodec.FormatSet(c.ToUapiSet());
        Assert.DoesNotContain("tcp", set, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("listen_port=51820\n", set, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[Interface]\nPrivateKey = " + Key1 + "\nTcpListenPort = 443\n", "TcpListenPort", "is a SharpTun key")]
    [InlineData("[Interface]\nPrivateKey = " + Key1 + "\n[Peer]\nPublicKey = " + Key2 + "\nTcpEndpoint = 198.18.0.2:443\n", "TcpEndpoint", "is a SharpTun key")]
    public void WgSyntax_RefusesThem(string text, string key, string cause)
    {
        var e = Assert.Throws<WireGuardConfigException>(() => WireGuardConfig.Parse(text, "wg.conf", ConfigSyntax.Wg));
        Assert.Contains(key, e.Message, StringComparison.Ordinal);
        Assert.Contains(cause, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TcpListenPort = 70000", "'70000' is not a TCP port number")]
    [InlineData("TcpListenPort = 443\nTcpListenPort = 444", "TcpListenPort")]
    public void BadTcpListenPort_IsAnError(string line, string cause)
    {
        var e = Assert.Throws<WireGuardConfigException>(() => WireGuardConfig.Parse($"[Interface]\nPrivateKey = {Key1}\n{line}\n", "bad.conf"));
        Assert.Contains(cause, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadTcpEndpoint_IsAnError_NamingTheKey()
    {
        var e = Assert.Throws<WireGuardConfigException>(() => WireGuardConfig.Parse(Text.Replace("[2001:db8::2]:443", "2001:db8::2:443", StringComparison.Ordinal), "bad.conf"));
        Assert.Contains("TcpEndpoint", e.Message, StringComparison.Ordinal);
        Assert.Contains("brackets", e.Message, StringComparison.Ordinal);
    }
}
