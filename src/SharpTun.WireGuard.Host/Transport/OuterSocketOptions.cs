namespace SharpTun.WireGuard.Host;

/// <summary>Linux socket option numbers the transport code sets through managed sockets (uapi/asm-generic/socket.h, linux/in.h, linux/in6.h).</summary>
internal static class OuterSocketOptions
{
    internal const int SolSocket = 1;
    internal const int SoReusePort = 15;

    /// <summary>The fwmark put on every packet the socket sends (wg-quick routes the tunnel's own traffic by it).</summary>
    internal const int SoMark = 36;

    internal const int SolIp = 0;
    internal const int IpMtuDiscover = 10;

    /// <summary>The path MTU of a connected socket's route, including what ICMP "fragmentation needed" taught the kernel.</summary>
    internal const int IpMtu = 14;

    internal const int SolIpv6 = 41;
    internal const int Ipv6MtuDiscover = 23;
    internal const int Ipv6Mtu = 24;

    /// <summary>IP_PMTUDISC_DO / IPV6_PMTUDISC_DO: always set don't-fragment; a datagram over the known path MTU fails with EMSGSIZE.</summary>
    internal const int PmtuDiscoverDo = 2;
}
