using System.Net;

namespace SharpTun.WireGuard.Host;

/// <summary>One [Peer] of a wg-quick configuration, as the host applies it.</summary>
public sealed record HostPeerConfig
{
    /// <summary>PublicKey (32 bytes).</summary>
    public required byte[] PublicKey { get; init; }

    /// <summary>PresharedKey (32 bytes), or null.</summary>
    public byte[]? PresharedKey { get; init; }

    /// <summary>AllowedIPs.</summary>
    public IReadOnlyList<IPNetwork> AllowedIps { get; init; } = [];

    /// <summary>Endpoint as written: <c>host:port</c>, <c>1.2.3.4:port</c>, <c>[2001:db8::1]:port</c>; resolved at up. Null = none.</summary>
    public string? Endpoint { get; init; }

    /// <summary>TcpEndpoint as written (SharpTun extension): where the peer accepts the encrypted TCP fallback. Null = none.</summary>
    public string? TcpEndpoint { get; init; }

    /// <summary>PersistentKeepalive; zero = off.</summary>
    public TimeSpan PersistentKeepalive { get; init; }

    /// <summary>Where the peer was defined, for messages ("wg0.conf:12").</summary>
    public string? Origin { get; init; }
}
