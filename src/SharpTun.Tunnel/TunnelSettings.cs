using System.Net;
using SharpTun.Linux.Tun;
using SharpTun.Netlink;

namespace SharpTun.Tunnel;

/// <summary>
/// Everything one side of a relay tunnel needs: the device, server or client, where, over what,
/// and how the server guards its peer slot. <see cref="TunnelHost.Open"/> checks it and throws
/// <see cref="ArgumentException"/> naming the setting in words.
/// </summary>
public sealed record TunnelSettings
{
    /// <summary>simpletun's default port.</summary>
    public const int DefaultPort = 55555;

    /// <summary>
    /// The tun MTU that keeps a full-size packet in one 1500-byte wire frame over UDP (each datagram
    /// adds 28 bytes of IPv4 + UDP header): the default for a device created for a UDP tunnel.
    /// </summary>
    public const int UdpMtu = 1472;

    /// <summary>The tun/tap device name.</summary>
    public required string Device { get; init; }

    /// <summary>tun (IP packets) or tap (Ethernet frames).</summary>
    public TunMode Mode { get; init; } = TunMode.Tun;

    /// <summary>Create the device (removed when the host is disposed); without it the device must already exist.</summary>
    public bool Create { get; init; }

    /// <summary>With <see cref="Create"/>: addresses for the device (IPv4 with broadcast from the prefix).</summary>
    public IReadOnlyList<IpPrefix> Addresses { get; init; } = [];

    /// <summary>With <see cref="Create"/>: the device MTU; default 1500, or <see cref="UdpMtu"/> over UDP.</summary>
    public int? Mtu { get; init; }

    /// <summary>Listen (server) rather than connect (client).</summary>
    public bool IsServer { get; init; }

    /// <summary>The server's host name or address (client only).</summary>
    public string? Server { get; init; }

    /// <summary>The port to listen on or connect to.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>TCP (simpletun framing) or UDP.</summary>
    public TransportKind Transport { get; init; } = TransportKind.Tcp;

    /// <summary>Server: the local address to listen on (default: every address, IPv4 and IPv6).</summary>
    public IPAddress? Listen { get; init; }

    /// <summary>Server: the peer addresses accepted (empty: any).</summary>
    public IReadOnlyList<IpPrefix> Allow { get; init; } = [];

    /// <summary>UDP server: the only peer answered (port 0: any port of that address).</summary>
    public IPEndPoint? Peer { get; init; }

    /// <summary>
    /// UDP client: seconds between keepalives. Server: a peer silent longer than this may be
    /// replaced by a new connection (TCP) or source (UDP keepalive).
    /// </summary>
    public TimeSpan Keepalive { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>TCP server: a connection that sends no packet within this time after connecting is closed.</summary>
    public TimeSpan FirstFrameTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>TCP server: a connection silent this long is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// tun only: open the device with a virtio-net header and the kernel's checksum and segmentation
    /// offloads (default on). The kernel then hands over and takes TCP/UDP streams in super-packets of
    /// up to 64 KB, which the relay splits into wire-sized packets and merges again; the wire format
    /// (simpletun's) does not change. Off: one packet per read and write, as simpletun does.
    /// </summary>
    public bool Offloads { get; init; } = true;

    /// <summary>Write the packets the tunnel carries (both directions) to this pcap file.</summary>
    public string? CapturePath { get; init; }

    /// <summary>Open the device and sockets inside this named network namespace (<c>ip netns</c>) instead of the caller's.</summary>
    public string? NetworkNamespace { get; init; }

    /// <summary>The MTU to give a created device (the one place the UDP rule lives).</summary>
    internal int? MtuForCreate => Mtu ?? (Create && Transport == TransportKind.Udp ? UdpMtu : null);

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Device))
        {
            throw new ArgumentException("a tunnel needs a device name");
        }
        if (Port is < 1 or > 65535)
        {
            throw new ArgumentException($"invalid port {Port}: must be 1..65535");
        }
        if (IsServer == !string.IsNullOrWhiteSpace(Server))
        {
            throw new ArgumentException(IsServer ? "a server does not take a server address" : "a client needs the server's address");
        }
        if (!Create && (Addresses.Count > 0 || Mtu is not null))
        {
            throw new ArgumentException("addresses and MTU are set only on a device the tunnel creates (without create the device must already be configured)");
        }
        if (Mtu is < 68 or > 65535)
        {
            throw new ArgumentException($"invalid MTU {Mtu}: must be 68..65535");
        }
        if (Keepalive <= TimeSpan.Zero || FirstFrameTimeout <= TimeSpan.Zero || IdleTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("keepalive and timeouts must be more than 0 seconds");
        }
        if (!IsServer && (Listen is not null || Allow.Count > 0 || Peer is not null))
        {
            throw new ArgumentException("listen address, allow-list and peer pinning are server settings");
        }
        if (Peer is not null && Transport != TransportKind.Udp)
        {
            throw new ArgumentException("pinning the peer applies to UDP (for TCP, use an allow-list)");
        }
    }
}
