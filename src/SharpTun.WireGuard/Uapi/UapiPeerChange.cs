using System.Net;

namespace SharpTun.WireGuard;

/// <summary>
/// The changes to one peer in a <c>set=1</c> request (one <c>public_key=</c> section). Applying it:
/// <list type="bullet">
/// <item>a <see cref="PublicKey"/> equal to the device's own public key is ignored (as wireguard-go does);</item>
/// <item><see cref="Remove"/>: remove the peer if it exists; nothing else of the section applies;</item>
/// <item>a peer that does not exist is created, unless <see cref="UpdateOnly"/> (then the section is skipped);</item>
/// <item>then <see cref="PresharedKey"/>, <see cref="Endpoint"/>, <see cref="PersistentKeepaliveInterval"/>; if
/// <see cref="ReplaceAllowedIps"/>, remove the peer's allowed IPs; then add <see cref="AllowedIps"/>.</item>
/// </list>
/// </summary>
public sealed class UapiPeerChange
{
    /// <summary>Creates the change for a peer's 32-byte public key.</summary>
    public UapiPeerChange(byte[] publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (publicKey.Length != WireGuardKeys.KeySize)
        {
            throw new ArgumentException($"a WireGuard public key is 32 bytes, got {publicKey.Length}", nameof(publicKey));
        }
        PublicKey = publicKey;
    }

    /// <summary>The peer's public key (32 bytes).</summary>
    public byte[] PublicKey { get; }

    /// <summary><c>remove=true</c>: remove this peer.</summary>
    public bool Remove { get; set; }

    /// <summary><c>update_only=true</c>: change the peer only if it exists already.</summary>
    public bool UpdateOnly { get; set; }

    /// <summary>The new preshared key (32 bytes; all zeros = none), or null.</summary>
    public byte[]? PresharedKey { get; set; }

    /// <summary>The new endpoint, or null. Always numeric here: <c>wg</c> resolves host names before it sends.</summary>
    public NetEndpoint? Endpoint { get; set; }

    /// <summary>The new persistent keepalive interval in seconds (0 = off), or null.</summary>
    public ushort? PersistentKeepaliveInterval { get; set; }

    /// <summary><c>replace_allowed_ips=true</c>: remove the peer's allowed IPs before adding <see cref="AllowedIps"/>.</summary>
    public bool ReplaceAllowedIps { get; set; }

    /// <summary>Prefixes to add to the peer's allowed IPs (host bits cleared), in request order.</summary>
    public List<IPNetwork> AllowedIps { get; } = [];
}
