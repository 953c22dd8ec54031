namespace SharpTun.Protocol.Framing;

/// <summary>What a received datagram of the UDP transport is.</summary>
public enum DatagramKind
{
    /// <summary>A zero-length datagram: the keepalive. The client sends it so NAT/conntrack state stays and the server learns (or re-learns) its address.</summary>
    Keepalive,

    /// <summary>One packet (tun) or frame (tap), to be written to the device.</summary>
    Packet,

    /// <summary>Shorter than any IP header (20 bytes) or Ethernet header (14 bytes): dropped.</summary>
    Runt,

    /// <summary>Longer than the device can carry: dropped.</summary>
    Oversize,
}

/// <summary>
/// The UDP transport's format: one packet per datagram, no prefix, no handshake. The zero-length
/// datagram is the keepalive; no IP packet or Ethernet frame is empty, so it is unambiguous.
/// </summary>
public static class DatagramFraming
{
    /// <summary>Length of the keepalive datagram.</summary>
    public const int KeepaliveLength = 0;

    /// <summary>The smallest IPv4 packet (a bare header); IPv6 needs 40.</summary>
    public const int MinIpPacket = 20;

    /// <summary>The smallest Ethernet frame a tap device accepts (the 14-byte header).</summary>
    public const int MinEthernetFrame = 14;

    /// <summary>Classifies a datagram of <paramref name="length"/> bytes for a device that carries at most <paramref name="maxPacket"/> bytes.</summary>
    public static DatagramKind Classify(int length, bool ethernet, int maxPacket)
    {
        if (length == KeepaliveLength)
        {
            return DatagramKind.Keepalive;
        }
        if (length < (ethernet ? MinEthernetFrame : MinIpPacket))
        {
            return DatagramKind.Runt;
        }
        return length > maxPacket ? DatagramKind.Oversize : DatagramKind.Packet;
    }
}
