using System.Globalization;
using System.Text.RegularExpressions;
using SharpTun.Testing;

namespace SharpTun.Tunnel.Tests;

/// <summary>
/// The relay's two-host bed on the one test harness, <see cref="WireLab"/> (hosts A = 1 and B = 2:
/// <c>wire0</c> 198.18.0.1/24 and .2/24 on the lab's bridge), each with a tunnel device (tun:
/// 198.19.0.1/24 and .2/24; tap: the same addresses on tap). Devices are made with ip here; the
/// tunnel attaches to them as simpletun does.
/// </summary>
internal sealed partial class Testbed : IDisposable
{
    public const string Device = "sttun0";
    public const string WireA = "198.18.0.1";
    public const string WireB = "198.18.0.2";
    public const string TunA = "198.19.0.1";
    public const string TunB = "198.19.0.2";

    private readonly List<TunnelProcess> _processes = [];
    private readonly WireLab _lab;

    public NetNs A => _lab.Hosts[0].Ns;
    public NetNs B => _lab.Hosts[1].Ns;
    public string VethA => WireLab.WireDevice;
    public string VethB => WireLab.WireDevice;
    public bool Tap { get; }
    public WireLab Lab => _lab;

    private Testbed(bool tap, bool addresses, bool devices)
    {
        Tap = tap;
        _lab = WireLab.Create(2);
        try
        {
            foreach (var (ns, addr) in devices ? new[] { (A, TunA), (B, TunB) } : [])
            {
                ns.Ip($"tuntap add {Device} mode {(tap ? "tap" : "tun")}");
                if (addresses)
                {
                    ns.Ip($"addr add {addr}/24 dev {Device}");
                }
                ns.Ip($"link set {Device} up");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public static Testbed Create(bool tap = false, bool addresses = true, bool devices = true) => new(tap, addresses, devices);

    public TunnelProcess StartServer(string transport, params string[] extra) =>
        Start(A, ["-i", Device, "-s", "--transport", transport, Tap ? "-a" : "-u", .. extra]);

    public TunnelProcess StartClient(string transport, params string[] extra) =>
        Start(B, ["-i", Device, "-c", WireA, "--transport", transport, Tap ? "-a" : "-u", .. extra]);

    public TunnelProcess Start(NetNs ns, string[] args)
    {
        var p = new TunnelProcess(ns, args);
        lock (_processes)
        {
            _processes.Add(p);
        }
        return p;
    }

    /// <summary>Starts server and client and waits until the server has its peer.</summary>
    public (TunnelProcess Server, TunnelProcess Client) StartPair(string transport, params string[] extra)
    {
        var server = StartServer(transport, extra);
        server.WaitForStart();
        var client = StartClient(transport, extra);
        client.WaitForStart();
        server.WaitForPeer();
        client.WaitForPeer(); // the client's side of the connection may complete after the server's accept
        return (server, client);
    }

    /// <summary>Pings <paramref name="target"/> from <paramref name="from"/>; returns the number of replies.</summary>
    public static int Ping(NetNs from, string target, int count = 5, double interval = 0.2)
    {
        var r = from.Exec("ping", ["-c", count.ToString(CultureInfo.InvariantCulture), "-i", interval.ToString(CultureInfo.InvariantCulture), "-W", "2", target],
            TimeSpan.FromSeconds(count * interval + 30));
        var m = ReceivedRegex().Match(r.StdOut);
        return m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>Adds netem impairment on both ends of the wire; false when the kernel has no sch_netem.</summary>
    public bool TryImpair(string netem)
    {
        var a = A.Exec("tc", ["qdisc", "add", "dev", VethA, "root", "netem", .. netem.Split(' ')]);
        if (a.ExitCode != 0 && a.StdErr.Contains("qdisc kind is unknown", StringComparison.Ordinal))
        {
            return false;
        }
        a.EnsureSuccess();
        B.Exec("tc", ["qdisc", "add", "dev", VethB, "root", "netem", .. netem.Split(' ')]).EnsureSuccess();
        return true;
    }

    public static long RxPackets(NetNs ns, string device) =>
        long.Parse(ns.Exec("cat", [$"/sys/class/net/{device}/statistics/rx_packets"]).EnsureSuccess().StdOut.Trim(), CultureInfo.InvariantCulture);

    public void Dispose()
    {
        lock (_processes)
        {
            foreach (var p in _processes)
            {
                p.Dispose();
            }
        }
        _lab.Dispose();
    }

    [GeneratedRegex(@"(\d+) received")]
    private static partial Regex ReceivedRegex();
}
