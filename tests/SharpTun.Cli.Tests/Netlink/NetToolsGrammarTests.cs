using System.Net;
using SharpTun.Cli.Commands;
using SharpTun.Cli.Formatting;
using SharpTun.Cli.Grammar;
using SharpTun.Linux.NetTools;
using SharpTun.Netlink;

namespace SharpTun.Cli.Tests.Netlink;

/// <summary>The net-tools grammar without a kernel: which 'route' is meant, getopt's bundling, route's words, netstat's line layout.</summary>
public class NetToolsGrammarTests
{
    [Theory]
    [InlineData("-n", true)]
    [InlineData("-ee", true)]
    [InlineData("-nee", true)]
    [InlineData("-n add -net 10.0.0.0/8 dev v0", true)]
    [InlineData("--numeric", true)]
    [InlineData("add -net 10.1.0.0 netmask 255.255.0.0 gw 10.0.0.1", true)]
    [InlineData("add default gw 10.0.0.1", true)]
    [InlineData("del -host 10.2.2.2", true)]
    [InlineData("add -net 10.3.0.0/16 reject", true)]
    [InlineData("", false)]
    [InlineData("show", false)]
    [InlineData("-6", false)]
    [InlineData("-4", false)]
    [InlineData("-n NS", false)]
    [InlineData("add 10.1.0.0/16 via 10.0.0.1 dev v0", false)]
    [InlineData("del default", false)]
    [InlineData("show table main", false)]
    public void ClassicRoute_IsRecognisedByItsWords(string words, bool classic) =>
        Assert.Equal(classic, ClassicRouteCommand.IsClassic(words.Split(' ', StringSplitOptions.RemoveEmptyEntries)));

    [Fact]
    public void GetOpt_BundlesPermutesAndTakesValues()
    {
        var g = new GetOpt("netstat", "A", new Dictionary<string, char> { ["numeric"] = 'n', ["protocol"] = 'A' }, "tulpn");
        var (options, operands) = g.Parse(["-tulpn", "x", "-Ainet6", "--numeric", "-A", "unix", "--protocol=inet", "--", "-t"]);
        Assert.Equal("t u l p n A n A A", string.Join(' ', options.Select(o => o.Option)));
        Assert.Equal(["inet6", "unix", "inet"], options.Where(o => o.Option == 'A').Select(o => o.Value));
        Assert.Equal(["x", "-t"], operands);
        Assert.Equal("netstat: unknown option '-Z'", Assert.Throws<ArgumentException>(() => g.Parse(["-tZ"])).Message);
        Assert.Equal("netstat: unknown option '--bogus'", Assert.Throws<ArgumentException>(() => g.Parse(["--bogus"])).Message);
        Assert.Equal("netstat: option '-A' needs a value", Assert.Throws<ArgumentException>(() => g.Parse(["-tA"])).Message);
    }

    [Fact]
    public void ClassicRoute_WordsMakeTheKernelsRoute()
    {
        var net = ClassicRouteCommand.Parse(["#net", "10.1.0.0", "netmask", "255.255.0.0", "gw", "198.18.0.2", "metric", "3", "dev", "v0"], add: true);
        Assert.Equal("10.1.0.0/16", net.Destination!.ToString());
        Assert.Equal(IPAddress.Parse("198.18.0.2"), net.Gateway);
        Assert.Equal(3u, net.Metric);
        Assert.Equal("v0", net.Device);
        Assert.Equal((byte)1, net.Type);

        var host = ClassicRouteCommand.Parse(["#host", "10.2.2.2", "v0"], add: true);
        Assert.Equal("10.2.2.2/32", host.Destination!.ToString());
        Assert.Equal("v0", host.Device);
        // Without -net a dotted quad is a host, as INET_setroute decides.
        Assert.Equal("10.2.0.0/32", ClassicRouteCommand.Parse(["10.2.0.0"], add: false).Destination!.ToString());
        Assert.Equal("0.0.0.0/0", ClassicRouteCommand.Parse(["default", "gw", "198.18.0.254"], add: true).Destination!.ToString());

        var reject = ClassicRouteCommand.Parse(["#net", "10.3.0.0/16", "reject"], add: true);
        Assert.Equal(((byte?)7, (byte?)254, (string?)null), (reject.Type, reject.Scope, reject.Device));

        Assert.Contains("bogus netmask 255.0.255.0", Assert.Throws<ArgumentException>(() => ClassicRouteCommand.Parse(["#net", "10.0.0.0", "netmask", "255.0.255.0"], add: true)).Message);
        Assert.Contains("doesn't match route address", Assert.Throws<ArgumentException>(() => ClassicRouteCommand.Parse(["#net", "10.1.2.0", "netmask", "255.255.0.0"], add: true)).Message);
        Assert.Contains("doesn't make sense with host route", Assert.Throws<ArgumentException>(() => ClassicRouteCommand.Parse(["10.1.0.0/16"], add: true)).Message);
        Assert.Contains("unknown argument 'x'", Assert.Throws<ArgumentException>(() => ClassicRouteCommand.Parse(["#net", "10.0.0.0/8", "x", "y"], add: true)).Message);
    }

    [Fact]
    public void Netstat_Lines_HaveNetToolsColumns()
    {
        var f = new NetstatFormat(new NetstatView { All = true, Numeric = true, Programs = true }, new NameDatabase("/nonexistent"),
            new Dictionary<ulong, string> { [42] = "1234/socat" });
        var listener = new SocketInfo
        {
            NetId = "tcp", State = SocketState.Listen, SendQueue = 128, Inode = 42,
            LocalAddress = IPAddress.Any, LocalPort = 5000, PeerAddress = IPAddress.Any,
        };
        Assert.Equal("tcp        0      0 0.0.0.0:5000            0.0.0.0:*               LISTEN      1234/socat          ", f.Inet(listener));
        var v6 = new SocketInfo
        {
            NetId = "udp", State = SocketState.Established, ReceiveQueue = 7, Inode = 9,
            LocalAddress = IPAddress.Parse("2001:db8:aaaa:bbbb:cccc:dddd:eeee:1"), LocalPort = 40000,
            PeerAddress = IPAddress.Parse("2001:db8::2"), PeerPort = 53,
        };
        // addr_do_one cuts ADDR:PORT to 22 characters unless -W.
        Assert.Equal("udp6       7      0 2001:db8:aaaa:bbb:40000 " + "2001:db8::2:53".PadRight(23) + " ESTABLISHED -                   ", f.Inet(v6));
        var unix = new UnixSocketEntry(2, 1 << 16, 1, 1, 21210, "/tmp/x.sock");
        Assert.Equal("unix  2      [ ACC ]     STREAM     LISTENING     21210    -                    /tmp/x.sock", f.Unix(unix));
        Assert.Equal("unix  3      [ ]         DGRAM      CONNECTED     7        -                    ", f.Unix(new UnixSocketEntry(3, 0, 2, 3, 7, "")));
        var servers = new NetstatFormat(new NetstatView { Listening = true, Numeric = true }, new NameDatabase("/nonexistent"), null);
        Assert.Null(servers.Inet(v6));
        Assert.Equal("Active Internet connections (only servers)\nProto Recv-Q Send-Q Local Address           Foreign Address         State      ", servers.InetHeader());
    }

    [Fact]
    public void UnixTable_ParsesProcNetUnix()
    {
        var table = UnixSocketTable.Parse(
            "Num       RefCount Protocol Flags    Type St Inode Path\n" +
            "00000000d2dd42ad: 00000002 00000000 00010000 0001 01 20374 /run/a.sock\n" +
            "00000000a2e95002: 00000003 00000000 00000000 0002 03   116\n");
        Assert.Equal([new UnixSocketEntry(2, 0x10000, 1, 1, 20374, "/run/a.sock"), new UnixSocketEntry(3, 0, 2, 3, 116, "")], table);
    }

    [Fact]
    public void Inet6Order_FollowsProcNetIfInet6()
    {
        var order = Inet6Order.Parse(
            "20010db8000000000000000000000001 03 40 00 80       v0\n" +
            "fe80000000000000e4c076fffeab267e 03 40 20 80       v0\n" +
            "00000000000000000000000000000001 01 80 10 80       lo\n");
        Assert.Equal(0, order[(3, IPAddress.Parse("2001:db8::1"))]);
        Assert.Equal(1, order[(3, IPAddress.Parse("fe80::e4c0:76ff:feab:267e"))]);
        Assert.Equal(2, order[(1, IPAddress.IPv6Loopback)]);
    }

    [Fact]
    public void RawTable_ParsesProcNetRaw()
    {
        var v4 = RawSockets.Parse(
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n" +
            "  94: 0100007F:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 444788 2 00000000839e275e 0\n" +
            " 123: 0100007F:0011 0200007F:0000 01 0000000A:00000014 00:00000000 00000000  1000        0 444790 2 0000000036b0b122 0\n").ToList();
        Assert.Equal(2, v4.Count);
        Assert.Equal((IPAddress.Loopback, 1, IPAddress.Any, 0, SocketState.Close, 444788ul), (v4[0].LocalAddress, v4[0].LocalPort, v4[0].PeerAddress, v4[0].PeerPort, v4[0].State, v4[0].Inode));
        Assert.Equal((IPAddress.Parse("127.0.0.2"), 17, SocketState.Established, 10u, 20u, 1000u), (v4[1].PeerAddress, v4[1].LocalPort, v4[1].State, v4[1].SendQueue, v4[1].ReceiveQueue, v4[1].Uid));
        var v6 = RawSockets.Parse(
            "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n" +
            "  178: 00000000000000000000000001000000:003A 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 444789 2 0000000008d42400 0\n").Single();
        Assert.Equal((IPAddress.IPv6Loopback, 58, "raw"), (v6.LocalAddress, v6.LocalPort, v6.NetId));
    }

    [Theory]
    [InlineData("/usr/bin/socat\0TCP-LISTEN:5000\0", "socat")]
    [InlineData("socat\0-u\0", "socat")]
    [InlineData("./a.out\0", "./a.out")]
    [InlineData("sshd: root@pts/0\0", "sshd: root@pts/0")]
    [InlineData("/opt/x\u0001y\0", "x.y")]
    public void ProgramName_IsArgv0AsNetstatShowsIt(string cmdline, string expected) =>
        Assert.Equal(expected, SocketPrograms.ProgramName(System.Text.Encoding.Latin1.GetBytes(cmdline)));

    [Theory]
    [InlineData("netstat -y", "sharptun: netstat: unknown option '-y'\n")]
    [InlineData("netstat -Z", "sharptun: netstat: option -Z (SELinux contexts) is not supported\n")]
    [InlineData("netstat -o", "sharptun: netstat: option -o (timers) is not supported\n")]
    [InlineData("netstat -ri", "sharptun: netstat: only one of -r, -i and -s can be given\n")]
    [InlineData("netstat -A ipx", "sharptun: netstat: address family 'ipx' is not supported (use inet, inet6 or unix)\n")]
    [InlineData("route -n -6", "sharptun: route: only the IPv4 table is supported (for IPv6 use 'sharptun route show -6')\n")]
    [InlineData("route -n flush", "sharptun: route: flush is not supported (use 'sharptun route flush …')\n")]
    public void BadUsage_IsOneLineAndExit2(string args, string stderr)
    {
        var r = Run.Exec("dotnet", Repo.Cli(args.Split(' ')));
        Assert.Equal(2, r.ExitCode);
        Assert.Equal(stderr, r.StdErr);
        Assert.Equal("", r.StdOut);
    }
}
