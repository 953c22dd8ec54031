using System.Net;
using SharpTun.IO;

namespace SharpTun.Tunnel;

/// <summary>
/// Who the UDP server answers. It has no handshake (simpletun's protocol), so the rules only make
/// a takeover cost more than one stray datagram:
/// <list type="bullet">
/// <item>a source outside the allow-list, or other than the pinned peer, is ignored;</item>
/// <item>a datagram is classified first; runts, oversize datagrams and ones not shaped like an IP
/// packet (tun: version 4 with matching total length, or version 6 with matching payload length)
/// or an Ethernet frame (tap) never move the peer;</item>
/// <item>a well-formed packet from a new source moves the peer at once (roaming, NAT rebinding);</item>
/// <item>a keepalive (empty datagram) from a new source moves it only when there is no peer yet,
/// or the current peer has been silent longer than the keepalive interval (a restarted client).</item>
/// </list>
/// Remaining risk: anyone on the path who can send one well-formed IP packet with any source
/// address takes the server's replies. Pin the peer (<c>--peer</c>) or restrict <c>--allow</c>; for
/// untrusted networks use WireGuard.
/// </summary>
internal sealed class UdpPeerPolicy
{
    private readonly AddressFilter _allow;
    private readonly IPAddress? _pinAddress;
    private readonly int _pinPort;
    private readonly long _replaceAfterMs;

    internal UdpPeerPolicy(AddressFilter allow, IPEndPoint? pin, TimeSpan replaceAfter)
    {
        _allow = allow;
        _pinAddress = pin?.Address;
        _pinPort = pin?.Port ?? 0;
        _replaceAfterMs = (long)replaceAfter.TotalMilliseconds;
    }

    /// <summary>True when <paramref name="source"/> may be the peer at all (allow-list, pin). Allocates: call for new sources only.</summary>
    internal bool MayBePeer(NetEndpoint source)
    {
        var ip = source.ToIPEndPoint();
        var address = ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address;
        if (_pinAddress is not null && (!address.Equals(_pinAddress) || (_pinPort != 0 && ip.Port != _pinPort)))
        {
            return false;
        }
        return _allow.Allows(address);
    }

    /// <summary>True when a datagram of this shape from a new, allowed source moves the peer.</summary>
    internal bool Moves(bool isKeepalive, bool hasPeer, long peerLastHeardMs, long nowMs) =>
        !isKeepalive || !hasPeer || nowMs - peerLastHeardMs > _replaceAfterMs;

    /// <summary>True when <paramref name="packet"/> looks like what the device carries (checked only for new sources).</summary>
    internal static bool IsWellFormed(ReadOnlySpan<byte> packet, bool ethernet)
    {
        if (ethernet)
        {
            // destination, source, then an EtherType (>= 0x0600) or an 802.3 length that fits.
            var type = (packet[12] << 8) | packet[13];
            return type >= 0x0600 || type <= packet.Length - 14;
        }
        return (packet[0] >> 4) switch
        {
            4 => (packet[0] & 0x0F) >= 5 && ((packet[2] << 8) | packet[3]) == packet.Length,
            6 => packet.Length >= 40 && ((packet[4] << 8) | packet[5]) + 40 == packet.Length,
            _ => false,
        };
    }
}
