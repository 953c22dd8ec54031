using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SharpTun.Netlink;

/// <summary>Formats socket endpoints the way <c>ss -n</c> does.</summary>
public static class SocketAddressText
{
    /// <summary>
    /// ADDR:PORT for inet sockets: IPv6 in brackets, a dual-stack IPv6 wildcard as '*', port 0 as '*';
    /// for UNIX sockets the path (or '*' when unnamed) — ss prints the inode as the "port".
    /// </summary>
    public static string Local(SocketInfo s) => s.IsUnix
        ? $"{s.Path ?? "*"} {s.Inode.ToString(CultureInfo.InvariantCulture)}"
        : Inet(s.LocalAddress!, s.LocalPort, s.V6Only);

    /// <summary>The peer: ADDR:PORT, or for UNIX sockets "* PEERINODE".</summary>
    public static string Peer(SocketInfo s) => s.IsUnix
        ? $"* {s.PeerInode.ToString(CultureInfo.InvariantCulture)}"
        : Inet(s.PeerAddress!, s.PeerPort, s.V6Only);

    private static string Inet(IPAddress a, int port, bool v6Only)
    {
        var p = port == 0 ? "*" : port.ToString(CultureInfo.InvariantCulture);
        if (a.AddressFamily == AddressFamily.InterNetwork)
        {
            return $"{a}:{p}";
        }
        if (a.Equals(IPAddress.IPv6Any) && !v6Only)
        {
            return $"*:{p}";
        }
        return $"[{a}]:{p}";
    }
}
