namespace SharpTun.Packets;

/// <summary>What the first byte of a packet is: the pcap LINKTYPE_ numbers (tcpdump.org/linktypes.html).</summary>
public enum LinkType
{
    /// <summary>LINKTYPE_ETHERNET: Ethernet II frames (tap devices).</summary>
    Ethernet = 1,
    /// <summary>LINKTYPE_RAW: raw IPv4/IPv6 packets, version in the first nibble (tun devices).</summary>
    Raw = 101,
}
