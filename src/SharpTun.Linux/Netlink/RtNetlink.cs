using SharpTun.Linux.Namespaces;
using SharpTun.Netlink;

namespace SharpTun.Linux.Netlink;

/// <summary>Opens <see cref="RtNetlinkClient"/>s over real NETLINK_ROUTE sockets, here or in a named namespace.</summary>
public static class RtNetlink
{
    /// <summary>A client for the calling thread's network namespace (normally the process').</summary>
    public static RtNetlinkClient Open() => new(NetlinkSocket.Open(NetlinkSocket.Route));

    /// <summary>
    /// A client whose socket is created inside namespace <paramref name="name"/> (/run/netns/NAME); every
    /// operation through it acts on that namespace, from any thread.
    /// </summary>
    public static RtNetlinkClient OpenInNamespace(string name) =>
        new(NetNamespace.Run(name, () => NetlinkSocket.Open(NetlinkSocket.Route)));
}
