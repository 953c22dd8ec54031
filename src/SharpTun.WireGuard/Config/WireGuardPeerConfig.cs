using System.Net;

namespace SharpTun.WireGuard;

/// <summary>One [Peer] section. Null = not given.</summary>
public sealed class WireGuardPeerConfig
{
    /// <summary>Creates a peer with its 32-byte public key.</summary>
    public WireGuardPeerConfig(byte[] publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (publicKey.Length != WireGuardKeys.KeySize)
        {
            throw new ArgumentException($"a WireGuard public key is 32 bytes, got {publicKey.Length}", nameof(publicKey));
        }
        PublicKey = publicKey;
    }

    /// <summary>The 1-based line of the [Peer] header (0 when built in code).</summary>
    public int Line { get; set; }

    /// <summary>PublicKey.</summary>
    public byte[] PublicKey { get; }

    /// <summary>PresharedKey (32 bytes).</summary>
    public byte[]? PresharedKey { get; set; }

    /// <summary>AllowedIPs (every line, every comma list entry, host bits cleared), in order.</summary>
    public List<IPNetwork> AllowedIps { get; } = [];

    /// <summary>Endpoint; a host name stays unresolved.</summary>
    public ConfigEndpoint? Endpoint { get; set; }

    /// <summary>
    /// TcpEndpoint (a SharpTun extension, not a wg or wg-quick key): where this peer accepts the
    /// encrypted TCP fallback; a host name stays unresolved.
    /// </summary>
    public ConfigEndpoint? TcpEndpoint { get; set; }

    /// <summary>PersistentKeepalive in seconds; 0 = <c>off</c>.</summary>
    public ushort? PersistentKeepalive { get; set; }
}
