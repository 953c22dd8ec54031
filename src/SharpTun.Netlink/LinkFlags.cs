namespace SharpTun.Netlink;

/// <summary>Interface flags (IFF_* from &lt;linux/if.h&gt;) as ifinfomsg.ifi_flags carries them.</summary>
[Flags]
public enum LinkFlags : uint
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>Administratively up.</summary>
    Up = 0x1,
    /// <summary>Has a valid broadcast address.</summary>
    Broadcast = 0x2,
    /// <summary>Debugging.</summary>
    Debug = 0x4,
    /// <summary>Loopback device.</summary>
    Loopback = 0x8,
    /// <summary>Point-to-point link.</summary>
    PointToPoint = 0x10,
    /// <summary>Avoid trailers (unused).</summary>
    NoTrailers = 0x20,
    /// <summary>Operationally up (RFC 2863 OPER_UP or UNKNOWN); with Up but without it, iproute2 prints NO-CARRIER.</summary>
    Running = 0x40,
    /// <summary>No ARP.</summary>
    NoArp = 0x80,
    /// <summary>Promiscuous mode.</summary>
    Promisc = 0x100,
    /// <summary>Receives all multicast.</summary>
    AllMulti = 0x200,
    /// <summary>Bonding master.</summary>
    Master = 0x400,
    /// <summary>Bonding slave.</summary>
    Slave = 0x800,
    /// <summary>Supports multicast.</summary>
    Multicast = 0x1000,
    /// <summary>Can select media type.</summary>
    PortSel = 0x2000,
    /// <summary>Auto media selection.</summary>
    AutoMedia = 0x4000,
    /// <summary>Dialup device with changing addresses.</summary>
    Dynamic = 0x8000,
    /// <summary>The driver signals L1 up (carrier).</summary>
    LowerUp = 0x10000,
    /// <summary>The driver signals dormant.</summary>
    Dormant = 0x20000,
    /// <summary>Echoes sent packets.</summary>
    Echo = 0x40000,
}
