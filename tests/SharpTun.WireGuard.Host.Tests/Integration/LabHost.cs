namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>One host namespace of a <see cref="WireLab"/>; its daemons are killed (by PID) when it is disposed.</summary>
internal sealed class LabHost : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    internal LabHost(NetNs ns, int index, WireLab lab)
    {
        Ns = ns;
        Index = index;
        Lab = lab;
    }

    internal NetNs Ns { get; }
    internal int Index { get; }
    internal WireLab Lab { get; }
    internal string Name => Ns.Name;

    internal string OuterV4 => $"198.18.0.{Index}";
    internal string OuterV6 => $"2001:db8:1::{Index:x}";
    internal string InnerV4 => $"198.19.0.{Index}";
    internal string InnerV6 => $"2001:db8:2::{Index:x}";

    /// <summary>Starts a daemon in this namespace, owned by this host.</summary>
    internal Daemon Start(string file, params string[] args) => Own(Daemon.StartIn(Name, file, args));

    /// <summary>Makes <paramref name="item"/> disposed (first) when the host is disposed.</summary>
    internal T Own<T>(T item) where T : IDisposable
    {
        lock (_owned)
        {
            _owned.Add(item);
        }
        return item;
    }

    /// <summary>Runs a command here (not checked).</summary>
    internal ProcessResult Exec(string file, params string[] args) => Ns.Exec(file, args, TimeSpan.FromSeconds(120));

    /// <summary>Runs a command here and throws unless it succeeded.</summary>
    internal ProcessResult Must(string file, params string[] args) => Exec(file, args).EnsureSuccess();

    /// <summary>Runs the built <c>sharptun</c> CLI here (not checked).</summary>
    internal ProcessResult Sharptun(params string[] args) => Ns.Exec("dotnet", Repo.Cli(args), TimeSpan.FromSeconds(120));

    /// <summary>Packets the tunnel daemon wrote into the kernel through <paramref name="dev"/> (the tun's rx counter).</summary>
    internal long TunRxPackets(string dev) => LinkStats.Read(this, dev).RxPackets;

    public void Dispose()
    {
        List<IDisposable> owned;
        lock (_owned)
        {
            owned = Enumerable.Reverse(_owned).ToList();
            _owned.Clear();
        }
        foreach (var o in owned)
        {
            o.Dispose();
        }
        Ns.Dispose();
    }
}
