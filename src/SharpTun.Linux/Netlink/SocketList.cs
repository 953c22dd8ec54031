using SharpTun.Linux.Namespaces;
using SharpTun.Netlink;

namespace SharpTun.Linux.Netlink;

/// <summary>Lists sockets like <c>ss</c>: sock_diag over a real NETLINK_SOCK_DIAG socket, plus owners from /proc.</summary>
public static class SocketList
{
    /// <summary>A sock_diag client for this namespace, or for the named one.</summary>
    public static SockDiagClient Open(string? netns = null) =>
        new(netns is null
            ? NetlinkSocket.Open(NetlinkSocket.SockDiag)
            : NetNamespace.Run(netns, () => NetlinkSocket.Open(NetlinkSocket.SockDiag)));

    /// <summary>
    /// The sockets <paramref name="query"/> selects, with their owning processes when <paramref name="processes"/>.
    /// Equivalent to: <c>ss [-t] [-u] [-x] [-l|-a] [-p] [state S]</c>.
    /// </summary>
    public static IReadOnlyList<SocketInfo> List(SocketQuery query, bool processes, string? netns = null)
    {
        using var client = Open(netns);
        var sockets = client.List(query);
        if (!processes)
        {
            return sockets;
        }
        var owners = SocketOwners.Scan();
        return [.. sockets.Select(s => owners.TryGetValue(s.Inode, out var o) ? s with { Owners = o } : s)];
    }
}
