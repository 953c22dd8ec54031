namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// The wire: one namespace holding a bridge, and any number of host namespaces each joined to it by a
/// veth pair (<c>wire0</c> inside the host). Host N has outer 198.18.0.N/24 and 2001:db8:1::N/64 on
/// <c>wire0</c> and is given inner 198.19.0.N/24 and 2001:db8:2::N/64 for its tunnel. Nothing has a
/// route out. Dispose kills what the hosts started and deletes every namespace (their devices go with them).
/// </summary>
internal sealed class WireLab : IDisposable
{
    private readonly List<LabHost> _hosts = [];

    internal NetNs Wire { get; }

    internal WireLab()
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

    internal IReadOnlyList<LabHost> Hosts => _hosts;

    /// <summary>Adds host number <c>Hosts.Count + 1</c> with its outer addresses (no DAD: usable at once).</summary>
    internal LabHost AddHost()
    {
        var index = _hosts.Count + 1;
        var host = new LabHost(NetNs.Create("stwh"), index, this);
        _hosts.Add(host);
        var port = "p" + index;
        host.Ns.Ip($"link add wire0 type veth peer name {port} netns {Wire.Name}");
        Wire.Ip($"link set {port} master br0");
        Wire.Ip($"link set {port} up");
        host.Ns.Ip($"addr add {host.OuterV4}/24 dev wire0");
        host.Ns.Ip($"addr add {host.OuterV6}/64 dev wire0 nodad");
        host.Ns.Ip("link set wire0 up");
        return host;
    }

    public void Dispose()
    {
        List<Exception> errors = [];
        foreach (var h in Enumerable.Reverse(_hosts))
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
