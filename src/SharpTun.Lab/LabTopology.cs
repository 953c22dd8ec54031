using SharpTun.Linux.Namespaces;
using SharpTun.Linux.Netlink;
using SharpTun.Netlink;

namespace SharpTun.Lab;

/// <summary>
/// TESTBED.md's standard topology, built over rtnetlink and setns (no <c>ip</c> needed):
/// <code>
///  ns A (peer 1)                         ns B (peer 2)
///  wire0 198.18.0.1/24  &lt;──── veth ────&gt;  wire0 198.18.0.2/24
/// </code>
/// Namespace names are unique per run (process id + counter + random). Everything is removed by
/// <see cref="Dispose"/> (deleting a namespace deletes the veth and any device in it), and on a
/// failure while building. Scenarios add their own devices inside the namespaces.
/// </summary>
public sealed class LabTopology : IDisposable
{
    /// <summary>The veth end's name in each namespace.</summary>
    public const string WireDevice = "wire0";

    private static int s_counter;
    private readonly List<string> _created = [];

    private LabTopology(string a, string b)
    {
        NamespaceA = a;
        NamespaceB = b;
    }

    /// <summary>Namespace A (a server, peer 1).</summary>
    public string NamespaceA { get; }

    /// <summary>Namespace B (a client, peer 2).</summary>
    public string NamespaceB { get; }

    /// <summary>A's wire address, 198.18.0.1/24.</summary>
    public IpPrefix WireA { get; } = IpPrefix.Parse("198.18.0.1/24");

    /// <summary>B's wire address, 198.18.0.2/24.</summary>
    public IpPrefix WireB { get; } = IpPrefix.Parse("198.18.0.2/24");

    /// <summary>
    /// Creates both namespaces (loopback up) and the wire. <paramref name="prefix"/> (default "stlab")
    /// starts the namespace names, which end in "a" and "b". Needs root (CAP_SYS_ADMIN, CAP_NET_ADMIN).
    /// </summary>
    public static LabTopology Create(string prefix = "stlab")
    {
        var tag = $"{prefix}{Environment.ProcessId % 100000:x}{Interlocked.Increment(ref s_counter):x}{Random.Shared.Next(0, 256):x2}";
        var topology = new LabTopology(tag + "a", tag + "b");
        try
        {
            topology.Build();
        }
        catch
        {
            topology.Dispose();
            throw;
        }
        return topology;
    }

    private void Build()
    {
        foreach (var ns in new[] { NamespaceA, NamespaceB })
        {
            NetNamespace.Create(ns);
            _created.Add(ns);
            using var nl = RtNetlink.OpenInNamespace(ns);
            nl.LinkSetUp("lo");
        }
        using (var a = RtNetlink.OpenInNamespace(NamespaceA))
        {
            a.AddVeth(WireDevice, WireDevice, NamespaceB);
            Configure(a, WireDevice, WireA);
        }
        using (var b = RtNetlink.OpenInNamespace(NamespaceB))
        {
            Configure(b, WireDevice, WireB);
        }
    }

    /// <summary>
    /// Creates another namespace that reaches A over its own veth pair (A's end gets
    /// <paramref name="aSide"/>, the new namespace's end <paramref name="hostSide"/>), for a third
    /// host on the path (an attacker in hardening tests). Removed with the topology.
    /// </summary>
    public string AddWireHost(string name, IpPrefix aSide, IpPrefix hostSide)
    {
        var ns = NamespaceA[..^1] + name;
        NetNamespace.Create(ns);
        _created.Add(ns);
        using (var nl = RtNetlink.OpenInNamespace(ns))
        {
            nl.LinkSetUp("lo");
        }
        var dev = "to" + name;
        using (var a = RtNetlink.OpenInNamespace(NamespaceA))
        {
            a.AddVeth(dev, WireDevice, ns);
            Configure(a, dev, aSide);
        }
        using (var h = RtNetlink.OpenInNamespace(ns))
        {
            Configure(h, WireDevice, hostSide);
        }
        return ns;
    }

    /// <summary>Deletes the namespaces (with them the veth pairs and any device left).</summary>
    public void Dispose()
    {
        for (var i = _created.Count - 1; i >= 0; i--)
        {
            try
            {
                NetNamespace.Delete(_created[i]);
            }
            catch (Exception e) when (e is IOException or NetNamespaceException)
            {
                // Already gone; nothing else to clean.
            }
        }
        _created.Clear();
    }

    internal static void Configure(RtNetlinkClient netlink, string device, IpPrefix address)
    {
        netlink.AddressAdd(device, address, new AddressOptions { BroadcastFromPrefix = address.IsIPv4, NoDad = !address.IsIPv4 });
        netlink.LinkSetUp(device);
    }
}
