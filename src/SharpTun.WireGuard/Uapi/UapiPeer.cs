using System.Net;

namespace SharpTun.WireGuard;

/// <summary>One peer of a <see cref="UapiDevice"/> snapshot.</summary>
public sealed class UapiPeer
{
    /// <summary>Creates the snapshot of a peer with a 32-byte public key.</summary>
    public UapiPeer(byte[] publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (publicKey.Length != WireGuardKeys.KeySize)
        {
            throw new ArgumentException($"a WireGuard public key is 32 bytes, got {publicKey.Length}", nameof(publicKey));
        }
        PublicKey = publicKey;
    }

    /// <summary>The peer's public key.</summary>
    public byte[] PublicKey { get; }

    /// <summary>The preshared key (32 bytes), or null for none (written as 64 zeros, as wireguard-go does).</summary>
    public byte[]? PresharedKey { get; set; }

    /// <summary>The current endpoint; not set = omitted.</summary>
    public NetEndpoint Endpoint { get; set; }

    /// <summary>Wall-clock time of the last completed handshake; null = never (written as 0 seconds).</summary>
    public DateTimeOffset? LastHandshake { get; set; }

    /// <summary>Bytes sent to the peer.</summary>
    public long TransmitBytes { get; set; }

    /// <summary>Bytes received from the peer.</summary>
    public long ReceiveBytes { get; set; }

    /// <summary>Persistent keepalive interval in seconds (0 = off).</summary>
    public ushort PersistentKeepaliveInterval { get; set; }

    /// <summary>The allowed IPs.</summary>
    public List<IPNetwork> AllowedIps { get; } = [];
}
