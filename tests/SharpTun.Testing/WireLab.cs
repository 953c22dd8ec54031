namespace SharpTun.Testing;

/// <summary>
/// The one namespace harness of the integration tests (TESTBED.md's topology, grown to N hosts): a wire
/// namespace holding a bridge, and host namespaces each joined to it by a veth pair (<c>wire0</c> inside
/// the host). Host N has outer 198.18.0.N/24 and 2001:db8:1::N/64 on <c>wire0</c> and is given inner
/// 198.19.0.N/24 and 2001:db8:2::N/64 for its tunnel. Nothing has a route out.
/// <code>
///  host 1 wire0 198.18.0.1 ──veth── p1 ┐
///  host 2 wire0 198.18.0.2 ──veth── p2 ├ br0 (wire namespace)
///  host N wire0 198.18.0.N ──veth── pN ┘
/// </code>
/// Built with <c>ip</c> (iproute2), not with SharpTun's own rtnetlink code: the harness is a judge, so a
/// defect in the code under test cannot build a broken lab that hides it (SharpTun.Lab's LabTopology,
/// the product's <c>sharptun lab</c>, is tested by its own tests instead). Dispose kills what the hosts
/// started (by PID) and deletes every namespace (their devices go with them), also after a failure.
/// </summary>
public sealed class WireLab : IDisposable
{
    /// <summary>The veth end's name inside every host.</summary>
    public const string WireDevice = "wire0";

    private readonly List<LabHost> _hosts = [];
    private readonly List<LabHost> _detached = [];

    /// <summary>The namespace holding the bridge <c>br0</c>.</summary>
    public NetNs Wire { get; }

    /// <summary>An empty lab (just the wire); add hosts with <see cref="AddHost"/>.</summary>
    public WireLab()
    {
        Wire = NetNs.Create("stww");
        try
        {
            Wire.Ip("link add br0 type bridge forward_delay 0 stp_state 0");
            Wire.Ip("link set br0 up");
        }
        catch
        {
            Wire.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A lab with <paramref name="hosts"/> hosts already added, then <paramref name="configure"/> (extra
    /// addresses, routes) run on it; disposed again if building fails.
    /// </summary>
    public static WireLab Create(int hosts, Action<WireLab>? configure = null)
    {
        var lab = new WireLab();
        try
        {
            for (var i = 0; i < hosts; i++)
            {
                lab.AddHost();
            }
            configure?.Invoke(lab);
        }
        catch
        {
            lab.Dispose();
            throw;
        }
        return lab;
    }

    /// <summary>The hosts, host N at index N-1.</summary>
    public IReadOnlyList<LabHost> Hosts => _hosts;

    /// <summary>Adds host number <c>Hosts.Count + 1</c> with its outer addresses (no DAD: usable at once).</summary>
    public LabHost AddHost()
    {
        var index = _hosts.Count + 1;
        var host = new LabHost(NetNs.Create("stwh"), index, this);
        _hosts.Add(host);
        var port = "p" + index;
        host.Ns.Ip($"link add {WireDevice} type veth peer name {port} netns {Wire.Name}");
        Wire.Ip($"link set {port} master br0");
        Wire.Ip($"link set {port} up");
        host.Ns.Ip($"addr add {host.OuterV4}/24 dev {WireDevice}");
        host.Ns.Ip($"addr add {host.OuterV6}/64 dev {WireDevice} nodad");
        host.Ns.Ip($"link set {WireDevice} up");
        return host;
    }

    /// <summary>
    /// A host namespace numbered <paramref name="index"/> that is not on the bridge (the test joins it to the
    /// lab itself, e.g. behind a router host); not in <see cref="Hosts"/>, disposed with the lab.
    /// </summary>
    public LabHost AddDetachedHost(int index, string prefix = "stwd")
    {
        var host = new LabHost(NetNs.Create(prefix), index, this);
        _detached.Add(host);
        return host;
    }

    /// <summary>Kills what the hosts started, deletes their namespaces, then the wire's.</summary>
    public void Dispose()
    {
        List<Exception> errors = [];
        foreach (var h in Enumerable.Reverse(_detached).Concat(Enumerable.Reverse(_hosts)))
        {
            try
            {
                h.Dispose();
            }
            catch (Exception e)
            {
                errors.Add(e);
            }
        }
        Wire.Dispose();
        if (errors.Count > 0)
        {
            throw new AggregateException("cleaning up the lab failed", errors);
        }
    }
}
