namespace SharpTun.Netlink;

/// <summary>RFC 2863 operational state (IF_OPER_* in &lt;linux/if.h&gt;); iproute2 prints the upper-case names.</summary>
public enum OperState : byte
{
    /// <summary>UNKNOWN (e.g. loopback, tun with carrier).</summary>
    Unknown = 0,
    /// <summary>NOTPRESENT.</summary>
    NotPresent = 1,
    /// <summary>DOWN.</summary>
    Down = 2,
    /// <summary>LOWERLAYERDOWN.</summary>
    LowerLayerDown = 3,
    /// <summary>TESTING.</summary>
    Testing = 4,
    /// <summary>DORMANT.</summary>
    Dormant = 5,
    /// <summary>UP.</summary>
    Up = 6,
}
