using SharpTun.Linux.Namespaces;
using SharpTun.Linux.Tun;

namespace SharpTun.Linux.Tests.IO;

/// <summary>A tun or tap device opened inside a fresh namespace with 198.19.0.1/24 and IPv6 off (so the kernel sends nothing unasked).</summary>
internal sealed class QueueFixture : IDisposable
{
    internal static readonly byte[] Local = [198, 19, 0, 1];
    internal static readonly byte[] Peer = [198, 19, 0, 2];
    internal static readonly byte[] PeerMac = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02];

    private QueueFixture(NetNs ns, TunDevice device)
    {
        Ns = ns;
        Device = device;
    }

    internal NetNs Ns { get; }

    internal TunDevice Device { get; }

    /// <summary>The device's MAC (tap only).</summary>
    internal byte[] Mac { get; private set; } = [];

    internal static QueueFixture Create(TunOptions options)
    {
        var ns = NetNs.Create("stq");
        try
        {
            ns.Sh("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 && sysctl -qw net.ipv6.conf.default.disable_ipv6=1").EnsureSuccess();
            var dev = NetNamespace.Run(ns.Name, () => TunDevice.Open(options with { Name = options.Name ?? UniqueName.Next("tq") }));
            var f = new QueueFixture(ns, dev);
            ns.Ip($"addr add 198.19.0.1/24 dev {dev.Name}");
            if (options.Mode == TunMode.Tap)
            {
                ns.Ip($"neigh add 198.19.0.2 lladdr 02:00:00:00:00:02 dev {dev.Name} nud permanent");
                var mac = ns.Exec("cat", [$"/sys/class/net/{dev.Name}/address"]).EnsureSuccess().StdOut.Trim();
                f.Mac = Convert.FromHexString(mac.Replace(":", ""));
            }
            ns.Ip($"link set {dev.Name} up");
            return f;
        }
        catch
        {
            ns.Dispose();
            throw;
        }
    }

    internal long Counter(string name) =>
        long.Parse(Ns.Exec("cat", [$"/sys/class/net/{Device.Name}/statistics/{name}"]).EnsureSuccess().StdOut.Trim());

    /// <summary>The namespace's count of ICMP echo replies sent (<c>/proc/net/snmp</c> Icmp OutEchoReps).</summary>
    internal long EchoRepliesSent()
    {
        var lines = Ns.Exec("cat", ["/proc/net/snmp"]).EnsureSuccess().StdOut.Split('\n');
        var header = Array.FindIndex(lines, l => l.StartsWith("Icmp: ", StringComparison.Ordinal));
        var names = lines[header].Split(' ');
        var values = lines[header + 1].Split(' ');
        return long.Parse(values[Array.IndexOf(names, "OutEchoReps")]);
    }

    /// <summary>Waits until the kernel has sent <paramref name="count"/> more echo replies than <paramref name="before"/>.</summary>
    internal void WaitEchoReplies(long before, int count) =>
        Poll.Until(() => EchoRepliesSent() >= before + count, $"{count} echo replies sent to {Device.Name}");

    public void Dispose()
    {
        Device.Dispose();
        Ns.Dispose();
    }
}
