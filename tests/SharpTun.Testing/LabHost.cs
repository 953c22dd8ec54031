using System.Globalization;

namespace SharpTun.Testing;

/// <summary>One host namespace of a <see cref="WireLab"/>; what it owns (daemons, probes) is disposed, processes killed by PID, when it is disposed.</summary>
public sealed class LabHost : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    internal LabHost(NetNs ns, int index, WireLab lab)
    {
        Ns = ns;
        Index = index;
        Lab = lab;
    }

    /// <summary>The host's namespace.</summary>
    public NetNs Ns { get; }

    /// <summary>N: the host's number, the last byte of its addresses.</summary>
    public int Index { get; }

    /// <summary>The lab this host is part of.</summary>
    public WireLab Lab { get; }

    /// <summary>The namespace name.</summary>
    public string Name => Ns.Name;

    /// <summary>198.18.0.N, on <c>wire0</c>.</summary>
    public string OuterV4 => $"198.18.0.{Index}";

    /// <summary>2001:db8:1::N, on <c>wire0</c>.</summary>
    public string OuterV6 => $"2001:db8:1::{Index:x}";

    /// <summary>198.19.0.N, for the host's tunnel device.</summary>
    public string InnerV4 => $"198.19.0.{Index}";

    /// <summary>2001:db8:2::N, for the host's tunnel device.</summary>
    public string InnerV6 => $"2001:db8:2::{Index:x}";

    /// <summary>
    /// Adds 198.18.0.<paramref name="number"/>/24 and 2001:db8:1::<paramref name="number"/>/64 (no DAD) to this host's
    /// <c>wire0</c> beside its own, e.g. to tell a reply's source address apart; pick a number no other host has.
    /// </summary>
    public void AddOuterAddresses(int number)
    {
        Ns.Ip($"addr add 198.18.0.{number}/24 dev {WireLab.WireDevice}");
        Ns.Ip($"addr add 2001:db8:1::{number:x}/64 dev {WireLab.WireDevice} nodad");
    }

    /// <summary>
    /// The host's IPv4 address on <c>wire0</c> becomes <paramref name="address"/> (same /24), the old one is
    /// removed: a host that roamed. promote_secondaries keeps the new address when the old primary goes.
    /// </summary>
    public void MoveOuterV4(string address)
    {
        Must("sysctl", "-q", "-w", $"net.ipv4.conf.{WireLab.WireDevice}.promote_secondaries=1");
        Ns.Ip($"addr add {address}/24 dev {WireLab.WireDevice}");
        Ns.Ip($"addr del {OuterV4}/24 dev {WireLab.WireDevice}");
    }

    /// <summary>Starts a daemon in this namespace, owned by this host.</summary>
    public Daemon Start(string file, params string[] args) => Own(Daemon.StartIn(Name, file, args));

    /// <summary>Makes <paramref name="item"/> disposed (before the namespace goes, latest first) when the host is disposed.</summary>
    public T Own<T>(T item) where T : IDisposable
    {
        lock (_owned)
        {
            _owned.Add(item);
        }
        return item;
    }

    /// <summary>Runs a command here (not checked).</summary>
    public ProcessResult Exec(string file, params string[] args) => Ns.Exec(file, args, TimeSpan.FromSeconds(120));

    /// <summary>Runs a command here and throws unless it succeeded.</summary>
    public ProcessResult Must(string file, params string[] args) => Exec(file, args).EnsureSuccess();

    /// <summary>Runs the built <c>sharptun</c> CLI here (not checked).</summary>
    public ProcessResult Sharptun(params string[] args) => Ns.Exec("dotnet", Repo.Cli(args), TimeSpan.FromSeconds(120));

    /// <summary>Packets the kernel received on <paramref name="dev"/> (for a tun: what the tunnel daemon wrote into it).</summary>
    public long RxPackets(string dev) =>
        long.Parse(Must("cat", $"/sys/class/net/{dev}/statistics/rx_packets").StdOut.Trim(), CultureInfo.InvariantCulture);

    /// <summary>Disposes what the host owns (latest first), then deletes its namespace.</summary>
    public void Dispose()
    {
        List<IDisposable> owned;
        lock (_owned)
        {
            owned = Enumerable.Reverse(_owned).ToList();
            _owned.Clear();
        }
        try
        {
            foreach (var o in owned)
            {
                o.Dispose();
            }
        }
        finally
        {
            Ns.Dispose();
        }
    }
}
