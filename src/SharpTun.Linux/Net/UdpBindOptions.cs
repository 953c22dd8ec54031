using System.Net;

namespace SharpTun.Linux.Net;

/// <summary>How to open a <see cref="UdpBind"/>.</summary>
public sealed record UdpBindOptions
{
    /// <summary>The default socket buffer size: 4 MiB each way (as wireguard-go asks for).</summary>
    public const int DefaultBufferSize = 4 << 20;

    /// <summary>
    /// The local address to listen on. Null (the default) or <see cref="IPAddress.IPv6Any"/>: every
    /// address, IPv4 and IPv6, on one dual-stack socket; <see cref="IPAddress.Any"/>: every IPv4
    /// address only; any other address: that address only.
    /// </summary>
    public IPAddress? Address { get; init; }

    /// <summary>The local UDP port; 0 lets the kernel pick (read it back from <see cref="UdpBind.LocalPort"/>).</summary>
    public ushort Port { get; init; }

    /// <summary>SO_MARK (fwmark) for every datagram sent, for policy routing; null leaves it unset. Needs CAP_NET_ADMIN.</summary>
    public uint? FirewallMark { get; init; }

    /// <summary>
    /// Receive and send buffer size in bytes: SO_RCVBUFFORCE/SO_SNDBUFFORCE (beyond net.core.rmem_max,
    /// with CAP_NET_ADMIN), else SO_RCVBUF/SO_SNDBUF (capped by the sysctl).
    /// </summary>
    public int BufferSize { get; init; } = DefaultBufferSize;

    /// <summary>Datagrams per receive and per sendmmsg(2) call.</summary>
    public int BatchSize { get; init; } = 64;
}
