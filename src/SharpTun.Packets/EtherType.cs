namespace SharpTun.Packets;

/// <summary>EtherType values this library decodes (IEEE registry).</summary>
public static class EtherType
{
    /// <summary>IPv4.</summary>
    public const ushort Ipv4 = 0x0800;
    /// <summary>ARP.</summary>
    public const ushort Arp = 0x0806;
    /// <summary>IEEE 802.1Q VLAN tag (C-tag).</summary>
    public const ushort Vlan = 0x8100;
    /// <summary>IEEE 802.1ad service tag (S-tag, Q-in-Q).</summary>
    public const ushort QinQ = 0x88A8;
    /// <summary>IPv6.</summary>
    public const ushort Ipv6 = 0x86DD;
}
