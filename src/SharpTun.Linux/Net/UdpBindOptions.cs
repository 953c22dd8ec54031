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

    /// <summary>
    /// Datagrams per receive, and messages per sendmmsg(2) call: one datagram each, or with GSO a run
    /// of up to 64 (at most 4 × this many datagrams per call).
    /// </summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>
    /// UDP GSO on send (UDP_SEGMENT, Linux 4.18+): a batch of same-size datagrams to one destination
    /// leaves as one message the kernel cuts up. On by default where the kernel has it; a send the
    /// kernel refuses (EIO when the route's device cannot checksum, EINVAL) turns it off for the
    /// socket, says so once through <see cref="Log"/>, and the batch goes datagram by datagram.
    /// </summary>
    public bool Gso { get; init; } = true;

    /// <summary>
    /// UDP GRO on receive (UDP_GRO, Linux 5.0+): same-flow datagrams arrive coalesced and are split
    /// again, one datagram per caller buffer. Buffers that hold 65535 bytes past the offset receive
    /// in place (only the second and later datagrams of a coalesced message are copied); smaller
    /// ones receive through the bind's own 64 KB slots (every datagram copied once).
    /// </summary>
    public bool Gro { get; init; } = true;

    /// <summary>Where the bind reports a change of its own (GSO turned off and why); null: nowhere (read <see cref="UdpBind.GsoDisabledReason"/>).</summary>
    public Action<string>? Log { get; init; }
}
