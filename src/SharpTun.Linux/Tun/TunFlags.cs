namespace SharpTun.Linux.Tun;

/// <summary>The <c>IFF_*</c> flags of <c>linux/if_tun.h</c>, as carried in <c>ifr_flags</c> and <c>/sys/class/net/X/tun_flags</c>.</summary>
[Flags]
public enum TunFlags : ushort
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>IFF_TUN: layer-3 device, raw IP packets.</summary>
    Tun = 0x0001,
    /// <summary>IFF_TAP: layer-2 device, Ethernet frames.</summary>
    Tap = 0x0002,
    /// <summary>IFF_NAPI: NAPI-driven receive.</summary>
    Napi = 0x0010,
    /// <summary>IFF_NAPI_FRAGS.</summary>
    NapiFrags = 0x0020,
    /// <summary>IFF_NO_CARRIER: create without carrier.</summary>
    NoCarrier = 0x0040,
    /// <summary>IFF_MULTI_QUEUE: one fd per queue.</summary>
    MultiQueue = 0x0100,
    /// <summary>IFF_ATTACH_QUEUE (TUNSETQUEUE only).</summary>
    AttachQueue = 0x0200,
    /// <summary>IFF_DETACH_QUEUE (TUNSETQUEUE only).</summary>
    DetachQueue = 0x0400,
    /// <summary>IFF_PERSIST (reported by the kernel; set with TUNSETPERSIST).</summary>
    Persist = 0x0800,
    /// <summary>IFF_NO_PI: no 4-byte packet-information header before each packet.</summary>
    NoPi = 0x1000,
    /// <summary>IFF_ONE_QUEUE: obsolete, ignored by the kernel since 3.8.</summary>
    OneQueue = 0x2000,
    /// <summary>IFF_VNET_HDR: each packet is preceded by a <c>virtio_net_hdr</c>.</summary>
    VnetHdr = 0x4000,
    /// <summary>IFF_TUN_EXCL: fail if the device already exists.</summary>
    TunExcl = 0x8000,
}

/// <summary>Whether a device carries IP packets (tun) or Ethernet frames (tap).</summary>
public enum TunMode
{
    /// <summary>Layer 3: raw IPv4/IPv6 packets.</summary>
    Tun = 1,
    /// <summary>Layer 2: Ethernet frames.</summary>
    Tap = 2,
}
