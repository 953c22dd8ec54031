namespace SharpTun.Packets;

/// <summary>What <see cref="PacketResponder.Respond"/> wrote.</summary>
public enum ResponseKind
{
    /// <summary>Nothing: the packet is not a request this responder answers.</summary>
    None,
    /// <summary>ICMP echo reply (IPv4).</summary>
    EchoReplyV4,
    /// <summary>ICMPv6 echo reply.</summary>
    EchoReplyV6,
    /// <summary>ARP reply (tap only).</summary>
    ArpReply,
    /// <summary>Neighbour advertisement (tap only).</summary>
    NeighborAdvertisement,
}
