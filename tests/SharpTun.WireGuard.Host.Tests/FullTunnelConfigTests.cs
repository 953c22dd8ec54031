using System.Net;
using System.Net.Sockets;
using SharpTun.Netlink;
using SharpTun.WireGuard;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>
/// The pure parts of issue 18: wg-quick's nftables script, the full-tunnel record, rt_tables names, the
/// config checks (key lines) and SaveConfig's text and file.
/// </summary>
public sealed class FullTunnelConfigTests
{
    private const string Key1 = "YLnwVQ7ir/1q+SFE1v1gtIk/8t3BadjX1otHCV6G1Gg=";
    private const string Peer1 = "zNELNcjlKjz2KlYWMiDChTN/ESZouZeatNbg1ceUeXc=";
    private const string Peer2 = "hWOQLmxH7t4itFO8K49wLVl31acHQv6RPLyl2dUP03I=";

    [Fact]
    public void NftScript_IsWgQuicksLineForLine()
    {
        // What wg-quick 1.0.20210914 add_default feeds to nft -f for wg0 with 198.19.0.1/24 and fwmark 51820
        // (its printf formats, trailing spaces included).
        const string expected4 =
            "add table ip wg-quick-wg0\n" +
            "add chain ip wg-quick-wg0 preraw { type filter hook prerouting priority -300; }\n" +
            "add chain ip wg-quick-wg0 premangle { type filter hook prerouting priority -150; }\n" +
            "add chain ip wg-quick-wg0 postmangle { type filter hook postrouting priority -150; }\n" +
            "add rule ip wg-quick-wg0 preraw iifname != \"wg0\" ip daddr 198.19.0.1 fib saddr type != local drop\n" +
            "add rule ip wg-quick-wg0 postmangle meta l4proto udp mark 51820 ct mark set mark \n" +
            "add rule ip wg-quick-wg0 premangle meta l4proto udp meta mark set ct mark \n";
        Assert.Equal(expected4, FullTunnel.NftScript("ip", "wg0", [IPAddress.Parse("198.19.0.1")], 51820));
        var six = FullTunnel.NftScript("ip6", "wg0", [IPAddress.Parse("2001:db8:2::1"), IPAddress.Parse("fe80::1")], 51821);
        Assert.Contains("add rule ip6 wg-quick-wg0 preraw iifname != \"wg0\" ip6 daddr 2001:db8:2::1 fib saddr type != local drop\n", six, StringComparison.Ordinal);
        Assert.Contains("add rule ip6 wg-quick-wg0 preraw iifname != \"wg0\" ip6 daddr fe80::1 fib saddr type != local drop\n", six, StringComparison.Ordinal);
        Assert.Contains("add rule ip6 wg-quick-wg0 postmangle meta l4proto udp mark 51821 ct mark set mark \n", six, StringComparison.Ordinal);
        Assert.Equal(8, six.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Record_RoundTrips_AndRefusesWhatItDoesNotKnow()
    {
        var dir = Directory.CreateTempSubdirectory("sharptun-ft-");
        try
        {
            var r = new FullTunnelRecord { Pid = 4242, NetNs = "net:[4026532246]", Table = 51821 };
            r.Rules.Add(("ipv4", "fwmark"));
            r.Rules.Add(("ipv6", "suppress"));
            r.NftTables.Add(("ip6", "wg-quick-wg0"));
            r.Sysctls.Add(("net.ipv4.conf.all.src_valid_mark", "0"));
            var path = FullTunnelRecord.PathFor("wg0", dir.FullName);
            Assert.Equal(Path.Combine(dir.FullName, "wg0.fulltunnel"), path);
            r.Save(path);
            Assert.False(File.Exists(path + ".tmp"));
            var back = FullTunnelRecord.Load(path)!;
            Assert.Equal((4242, "net:[4026532246]", 51821u), (back.Pid, back.NetNs, back.Table));
            Assert.Equal(r.Rules, back.Rules);
            Assert.Equal(r.NftTables, back.NftTables);
            Assert.Equal(r.Sysctls, back.Sysctls);
            Assert.Null(FullTunnelRecord.Load(Path.Combine(dir.FullName, "none.fulltunnel")));
            var e = Assert.Throws<InvalidDataException>(() => FullTunnelRecord.Parse("pid 1\nrule ipv5 fwmark\n", "x.fulltunnel"));
            Assert.Equal("x.fulltunnel:2: cannot read 'rule ipv5 fwmark' (remove the file after checking 'ip rule' and 'nft list ruleset' by hand)", e.Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void RouteTableNames_AsIpReadsThem()
    {
        var root = Directory.CreateTempSubdirectory("sharptun-rt-");
        try
        {
            var etc = Directory.CreateDirectory(Path.Combine(root.FullName, "etc")).FullName;
            var usr = Directory.CreateDirectory(Path.Combine(root.FullName, "usr")).FullName;
            // Without /etc's rt_tables, /usr's is read; rt_tables.d/*.conf from both, /etc's overriding by file name.
            File.WriteAllText(Path.Combine(usr, "rt_tables"), "255\tlocal\n254\tmain\n# comment\n  100 vendor # trailing\n0x10 hexa\nbad line\n");
            Directory.CreateDirectory(Path.Combine(usr, "rt_tables.d"));
            Directory.CreateDirectory(Path.Combine(etc, "rt_tables.d"));
            File.WriteAllText(Path.Combine(usr, "rt_tables.d", "a.conf"), "300 shadowed\n");
            File.WriteAllText(Path.Combine(usr, "rt_tables.d", "b.conf"), "301 fromusr\n");
            File.WriteAllText(Path.Combine(etc, "rt_tables.d", "a.conf"), "400 vpn\n");
            File.WriteAllText(Path.Combine(etc, "rt_tables.d", "c.txt"), "500 ignored\n");
            Assert.Equal(100u, RouteTableNames.Resolve("vendor", etc, usr));
            Assert.Equal(16u, RouteTableNames.Resolve("hexa", etc, usr));
            Assert.Equal(301u, RouteTableNames.Resolve("fromusr", etc, usr));
            Assert.Equal(400u, RouteTableNames.Resolve("vpn", etc, usr));
            Assert.Null(RouteTableNames.Resolve("shadowed", etc, usr));
            Assert.Null(RouteTableNames.Resolve("ignored", etc, usr));
            Assert.Equal(254u, RouteTableNames.Resolve("main", etc, usr));
            Assert.Equal(253u, RouteTableNames.Resolve("default", etc, usr));
            // /etc's rt_tables, when it exists, replaces /usr's.
            File.WriteAllText(Path.Combine(etc, "rt_tables"), "7 mine\n");
            Assert.Null(RouteTableNames.Resolve("vendor", etc, usr));
            Assert.Equal(7u, RouteTableNames.Resolve("mine", etc, usr));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void FromConfig_TableForms_SaveConfigAccepted()
    {
        static HostConfig Host(string lines) =>
            HostConfig.FromConfig(WireGuardConfig.Parse($"[Interface]\nPrivateKey = {Key1}\n{lines}\n", "wg0.conf"), "wg0", "wg0.conf");
        Assert.Null(Host("").Table);
        Assert.Null(Host("Table = auto").Table);
        Assert.Equal("off", Host("Table = off").Table);
        Assert.Equal("1234", Host("Table = 1234").Table);
        Assert.Equal("254", Host("Table = main").Table);
        var saving = Host("SaveConfig = true");
        Assert.True(saving.SaveConfig);
        Assert.NotNull(saving.Source);
        Assert.False(Host("").SaveConfig);
    }

    [Fact]
    public void FromConfig_Errors_PointAtTheKeysOwnLine()
    {
        var text = $"# a comment\n[Interface]\nPrivateKey = {Key1}\nAddress = 198.19.0.1/24\nTable = nosuchtable_st_x\n";
        var e = Assert.Throws<WireGuardConfigException>(() => HostConfig.FromConfig(WireGuardConfig.Parse(text, "wg0.conf"), "wg0", "wg0.conf"));
        Assert.Equal(5, e.Line);
        Assert.Equal("Table", e.Key);
        Assert.StartsWith("wg0.conf:5: Table: table name 'nosuchtable_st_x' is not defined in /etc/iproute2/rt_tables", e.Message, StringComparison.Ordinal);
        // No PrivateKey: no line of its own, so the [Interface] line.
        var none = Assert.Throws<WireGuardConfigException>(() => HostConfig.FromConfig(WireGuardConfig.Parse("\n\n[Interface]\nListenPort = 1\n", "wg1.conf"), "wg1", "wg1.conf"));
        Assert.Equal("wg1.conf:3: PrivateKey: the [Interface] section has no PrivateKey (make one with 'sharptun wg genkey')", none.Message);
    }

    [Fact]
    public void LineOf_IsTheFirstLineOfTheKey_ElseTheSection()
    {
        var c = WireGuardConfig.Parse($"\n[Interface]\n\nsaveconfig = true\nPrivateKey = {Key1}\nPostUp = a\nPostUp = b\n").Interface;
        Assert.Equal(4, c.LineOf("SaveConfig"));
        Assert.Equal(5, c.LineOf("privatekey"));
        Assert.Equal(6, c.LineOf("PostUp"));
        Assert.Equal(2, c.LineOf("Table"));
    }

    [Fact]
    public void SaveConfig_Compose_KeepsInterfaceLines_TakesTheRunningState()
    {
        var file = $"""
            [Interface]
            PrivateKey = {Key1}
            Address = 198.19.0.1/24
            DNS = 198.18.0.53, corp.example
            MTU = 1400
            Table = 1234
            PreUp = echo up %i
            PostDown = echo down %i
            SaveConfig = true
            TcpListenPort = 443

            [Peer]
            PublicKey = {Peer1}
            AllowedIPs = 198.19.9.0/24
            TcpEndpoint = 198.18.0.9:443
            """;
        var source = WireGuardConfig.Parse(file, "wg0.conf");
        var config = HostConfig.FromConfig(source, "wg0", "wg0.conf");
        var running = new UapiDevice { PrivateKey = source.Interface.PrivateKey, ListenPort = 40001, FwMark = 51820 };
        var p1 = new UapiPeer(Convert.FromBase64String(Peer1)) { PersistentKeepaliveInterval = 25, Endpoint = NetEndpoint.From(IPEndPoint.Parse("198.18.0.9:51820")) };
        p1.AllowedIps.Add(IPNetwork.Parse("198.19.9.0/24"));
        p1.AllowedIps.Add(IPNetwork.Parse("198.19.10.0/24"));
        var p2 = new UapiPeer(Convert.FromBase64String(Peer2));
        p2.AllowedIps.Add(IPNetwork.Parse("198.19.11.0/24"));
        running.Peers.Add(p1);
        running.Peers.Add(p2);
        AddressInfo[] addresses =
        [
            new() { Family = AddressFamily.InterNetwork, PrefixLength = 24, Local = IPAddress.Parse("198.19.0.1"), Address = IPAddress.Parse("198.19.0.1") },
            new() { Family = AddressFamily.InterNetworkV6, PrefixLength = 64, Address = IPAddress.Parse("2001:db8:2::1") },
            new() { Family = AddressFamily.InterNetworkV6, PrefixLength = 64, Address = IPAddress.Parse("fe80::1234") },
        ];
        var text = ConfigSaver.Compose(config, running, addresses, linkMtu: 1380);
        Assert.Equal($"""
            [Interface]
            Address = 198.19.0.1/24
            Address = 2001:db8:2::1/64
            DNS = 198.18.0.53, corp.example
            MTU = 1380
            Table = 1234
            SaveConfig = true
            PreUp = echo up %i
            PostDown = echo down %i
            ListenPort = 40001
            FwMark = 0xca6c
            TcpListenPort = 443
            PrivateKey = {Key1}

            [Peer]
            PublicKey = {Peer1}
            AllowedIPs = 198.19.9.0/24, 198.19.10.0/24
            Endpoint = 198.18.0.9:51820
            TcpEndpoint = 198.18.0.9:443
            PersistentKeepalive = 25

            [Peer]
            PublicKey = {Peer2}
            AllowedIPs = 198.19.11.0/24

            """.Replace("\r", "", StringComparison.Ordinal), text);
        // What it writes reads back as the same config.
        Assert.Equal(text, WireGuardConfig.Parse(text, "wg0.conf").ToString());
    }

    [Fact]
    public void SaveConfig_Write_Is0600_AndReplacesTheFile()
    {
        var dir = Directory.CreateTempSubdirectory("sharptun-save-");
        try
        {
            var path = Path.Combine(dir.FullName, "wg0.conf");
            File.WriteAllText(path, "old\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            File.WriteAllText(path + ".tmp", "stale temporary\n");
            File.SetUnixFileMode(path + ".tmp", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            ConfigSaver.Write(path, "[Interface]\nnew\n");
            Assert.Equal("[Interface]\nnew\n", File.ReadAllText(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.False(File.Exists(path + ".tmp"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
