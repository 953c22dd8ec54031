namespace SharpTun.WireGuard.Tests;

/// <summary>Every config error: the exact message, naming file, line and key.</summary>
public sealed class ConfigErrorTests
{
    private const string P1 = UapiVectors.Peer1;
    private const string Sk = UapiVectors.PrivateKey;

    public static TheoryData<string, string> Cases => new()
    {
        { $"[Interface]\nPrivateKey = {Sk}\nAddress = 10.0.0.1/24\n\n[Peer]\nPublicKey = {P1}\nAllowedIPs = 10.0.0.300/24\n",
            "wg0.conf:7: AllowedIPs: '10.0.0.300/24' is not an IP prefix" },
        { "[Interface]\nListenPort = 70000\n", "wg0.conf:2: ListenPort: '70000' is not a port number (0-65535)" },
        { "[Interface]\nListenPort = 51820\nlistenport = 51821\n", "wg0.conf:3: listenport: given twice in this section (first on line 2)" },
        { "[Interface]\nFwMark = 0x1ffffffff\n", "wg0.conf:2: FwMark: '0x1ffffffff' is not a fwmark (a number 0-4294967295, 0x hex, or off)" },
        { "[Interface]\nFwMark = -1\n", "wg0.conf:2: FwMark: '-1' is not a fwmark (a number 0-4294967295, 0x hex, or off)" },
        { $"[Interface]\nPrivateKey = {Sk}x\n", $"wg0.conf:2: PrivateKey: not valid base64 ('{Sk}x')" },
        { $"[Interface]\nPrivateKey = {Sk[..^2]}h=\n", $"wg0.conf:2: PrivateKey: '{Sk[..^2]}h=' is not the canonical encoding of a key (the last character before '=' has stray low bits)" },
        { "[Interface]\nPrivateKey =\n", "wg0.conf:2: PrivateKey: empty input (expected 44 base64 characters)" },
        { "[Interface]\nAddress = 198.18.0.1/33\n", "wg0.conf:2: Address: '198.18.0.1/33' is not an IP address with an optional prefix length (10.0.0.1/24, fd00::1/64)" },
        { "[Interface]\nDNS = 198.18.0.53, bad_domain!\n", "wg0.conf:2: DNS: 'bad_domain!' is neither an IP address nor a search domain" },
        { "[Interface]\nMTU = 40\n", "wg0.conf:2: MTU: '40' is not an MTU (68-65535)" },
        { "[Interface]\nMTU = 1420 bytes\n", "wg0.conf:2: MTU: '1420 bytes' is not an MTU (68-65535)" },
        { "[Interface]\nTable = my table\n", "wg0.conf:2: Table: 'my table' is not a routing table (auto, off, a number or a name from rt_tables)" },
        { "[Interface]\nTable = 4294967296\n", "wg0.conf:2: Table: '4294967296' is not a routing table (auto, off, a number or a name from rt_tables)" },
        { "[Interface]\nPostUp =\n", "wg0.conf:2: PostUp: is empty (expected a shell command)" },
        { "[Interface]\nSaveConfig = yes\n", "wg0.conf:2: SaveConfig: 'yes' is neither true nor false" },
        { "[Interface]\nFoo = 1\n", "wg0.conf:2: Foo: unknown key in [Interface] (wg-quick takes PrivateKey, ListenPort, FwMark, Address, DNS, MTU, Table, PreUp, PostUp, PreDown, PostDown, SaveConfig; SharpTun also takes TcpListenPort)" },
        { $"PrivateKey = {Sk}\n", "wg0.conf:1: PrivateKey: is outside any section (put it under [Interface] or [Peer])" },
        { "[Interface]\ngarbage\n", "wg0.conf:2: 'garbage' is not KEY = VALUE" },
        { "[Interface]\n= 1\n", "wg0.conf:2: '= 1' has no key before '='" },
        { "[Peers]\n", "wg0.conf:1: unknown section '[Peers]' (expected [Interface] or [Peer])" },
        { "[Interface]\n[Interface]\n", "wg0.conf:2: a second [Interface] section (the first is on line 1)" },
        { "[Interface]\n[Peer]\nAllowedIPs = 198.18.0.0/24\n[Peer]\n", "wg0.conf:2: this [Peer] has no PublicKey" },
        { $"[Peer]\nPublicKey = {P1}\n[Peer]\nPublicKey = {P1}\n", $"wg0.conf:4: PublicKey: peer {P1} is already configured by the [Peer] on line 1" },
        { $"[Peer]\nPublicKey = {P1}\nPublicKey = {P1}\n", "wg0.conf:3: PublicKey: given twice in this section (first on line 2)" },
        { $"[Peer]\nPublicKey = {P1}\nPresharedKey = AAAA\n", "wg0.conf:3: PresharedKey: wrong length 3 bytes (a WireGuard key is 32 bytes, 44 base64 characters)" },
        { $"[Peer]\nPublicKey = {P1}\nAllowedIPs = 198.18.0.0/24,,10.0.0.0/8\n", "wg0.conf:3: AllowedIPs: '198.18.0.0/24,,10.0.0.0/8' has an empty entry in its comma list" },
        { $"[Peer]\nPublicKey = {P1}\nAllowedIPs =\n", "wg0.conf:3: AllowedIPs: is empty (leave the line out for none)" },
        { "[Interface]\nAddress = \n", "wg0.conf:2: Address: is empty (leave the line out for none)" },
        { $"[Peer]\nPublicKey = {P1}\nAllowedIPs = 198.18.0.0/24 10.0.0.0/8\n", "wg0.conf:3: AllowedIPs: '198.18.0.0/24 10.0.0.0/8' is not an IP prefix" },
        { $"[Peer]\nPublicKey = {P1}\nEndpoint = 2001:db8::1:51820\n", "wg0.conf:3: Endpoint: '2001:db8::1:51820' is not an endpoint (an IPv6 address needs brackets: [2001:db8::1]:51820)" },
        { $"[Peer]\nPublicKey = {P1}\nEndpoint = 198.18.0.1\n", "wg0.conf:3: Endpoint: '198.18.0.1' is not an endpoint (HOST:PORT or [IPV6]:PORT, port 1-65535)" },
        { $"[Peer]\nPublicKey = {P1}\nEndpoint = 198.18.0.1:0\n", "wg0.conf:3: Endpoint: '198.18.0.1:0' is not an endpoint (HOST:PORT or [IPV6]:PORT, port 1-65535)" },
        { $"[Peer]\nPublicKey = {P1}\nEndpoint = 10.0.0.300:51820\n", "wg0.conf:3: Endpoint: '10.0.0.300' in '10.0.0.300:51820' is neither an IP address nor a host name" },
        { $"[Peer]\nPublicKey = {P1}\nEndpoint = bad host:51820\n", "wg0.conf:3: Endpoint: 'bad host' in 'bad host:51820' is neither an IP address nor a host name" },
        { $"[Peer]\nPublicKey = {P1}\nEndpoint = [198.18.0.1]:51820\n", "wg0.conf:3: Endpoint: '[198.18.0.1]:51820' is not an endpoint (brackets go around IPv6 addresses only)" },
        { $"[Peer]\nPublicKey = {P1}\nPersistentKeepalive = 70000\n", "wg0.conf:3: PersistentKeepalive: '70000' is not an interval in seconds (0-65535, or off)" },
        { $"[Peer]\nPublicKey = {P1}\nAllowedIP = 198.18.0.0/24\n", "wg0.conf:3: AllowedIP: unknown key in [Peer] (PublicKey, PresharedKey, AllowedIPs, Endpoint, PersistentKeepalive; SharpTun also takes TcpEndpoint)" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Error_NamesFileLineAndKey(string text, string message)
    {
        var e = Assert.Throws<WireGuardConfigException>(() => WireGuardConfig.Parse(text, "wg0.conf"));
        Assert.Equal(message, e.Message);
        Assert.Equal("wg0.conf", e.FileName);
        Assert.Equal(int.Parse(message.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture), e.Line);
    }

    [Theory]
    [InlineData("Address = 198.18.0.1/24", "Address")]
    [InlineData("DNS = 198.18.0.53", "DNS")]
    [InlineData("MTU = 1420", "MTU")]
    [InlineData("Table = off", "Table")]
    [InlineData("PreUp = true", "PreUp")]
    [InlineData("PostUp = true", "PostUp")]
    [InlineData("PreDown = true", "PreDown")]
    [InlineData("PostDown = true", "PostDown")]
    [InlineData("SaveConfig = true", "SaveConfig")]
    public void WgSyntax_RejectsWgQuickKeys(string line, string key)
    {
        var e = Assert.Throws<WireGuardConfigException>(() => WireGuardConfig.Parse($"[Interface]\n{line}\n", "wg0.conf", ConfigSyntax.Wg));
        Assert.Equal($"wg0.conf:2: {key}: is a wg-quick key; wg setconf/syncconf configs take only PrivateKey, ListenPort and FwMark in [Interface] (strip it, as 'wg-quick strip' does)", e.Message);
        Assert.Equal(key, e.Key);
    }

    [Fact]
    public void Load_NamesTheFileWithoutItsDirectory()
    {
        var dir = Directory.CreateTempSubdirectory("sharptun-conf-");
        try
        {
            var path = Path.Combine(dir.FullName, "wg7.conf");
            File.WriteAllText(path, "[Interface]\nListenPort = x\n");
            Assert.Equal("wg7.conf:2: ListenPort: 'x' is not a port number (0-65535)",
                Assert.Throws<WireGuardConfigException>(() => WireGuardConfig.Load(path)).Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
