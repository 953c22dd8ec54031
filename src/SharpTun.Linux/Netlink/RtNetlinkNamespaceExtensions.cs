using SharpTun.Linux.Namespaces;
using SharpTun.Netlink;

namespace SharpTun.Linux.Netlink;

/// <summary>Operations of <see cref="RtNetlinkClient"/> that name a namespace by its <c>ip netns</c> name.</summary>
public static class RtNetlinkNamespaceExtensions
{
    /// <summary>
    /// Creates a veth pair whose peer is created straight in namespace <paramref name="peerNamespace"/>.
    /// Equivalent to: <c>ip link add $name type veth peer name $peer netns $peerNamespace</c>.
    /// </summary>
    public static void AddVeth(this RtNetlinkClient client, string name, string peer, string peerNamespace)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var ns = NetNamespace.OpenHandle(peerNamespace);
        client.AddVeth(name, peer, (int)ns.DangerousGetHandle(), peerNamespace);
    }

    /// <summary>Moves a link into namespace <paramref name="namespaceName"/>. Equivalent to: <c>ip link set dev $name netns $namespaceName</c>.</summary>
    public static void LinkSetNamespace(this RtNetlinkClient client, string name, string namespaceName)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var ns = NetNamespace.OpenHandle(namespaceName);
        client.LinkSetNamespace(name, (int)ns.DangerousGetHandle(), namespaceName);
    }

    /// <summary>
    /// The named namespaces (/run/netns) this client's namespace has ids for: id → name, what iproute2
    /// prints as <c>link-netns NAME</c> instead of <c>link-netnsid ID</c>. Namespaces it cannot open are skipped.
    /// </summary>
    public static IReadOnlyDictionary<int, string> GetNamespaceNames(this RtNetlinkClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var names = new Dictionary<int, string>();
        foreach (var name in NetNamespace.List())
        {
            try
            {
                using var ns = NetNamespace.OpenHandle(name);
                if (client.GetNamespaceId((int)ns.DangerousGetHandle()) is { } id)
                {
                    names.TryAdd(id, name);
                }
            }
            catch (IOException)
            {
            }
        }
        return names;
    }
}
