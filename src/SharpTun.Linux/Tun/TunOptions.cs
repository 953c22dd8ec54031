using SharpTun.IO;

namespace SharpTun.Linux.Tun;

/// <summary>How to create or attach to a TUN/TAP device.</summary>
public sealed record TunOptions
{
    /// <summary>The device name; null, empty or a <c>%d</c> template lets the kernel pick (<c>tun0</c>, <c>tap1</c>, …).</summary>
    public string? Name { get; init; }

    /// <summary>tun (IP packets) or tap (Ethernet frames).</summary>
    public TunMode Mode { get; init; } = TunMode.Tun;

    /// <summary>Keep the 4-byte packet-information header (2 flag bytes + 2 protocol bytes) on every packet; off by default (IFF_NO_PI).</summary>
    public bool PacketInfo { get; init; }

    /// <summary>IFF_MULTI_QUEUE: every attach to the same name adds one queue (one fd each).</summary>
    public bool MultiQueue { get; init; }

    /// <summary>IFF_VNET_HDR: each packet is preceded by a <c>virtio_net_hdr</c> (10 bytes unless changed).</summary>
    public bool VnetHdr { get; init; }

    /// <summary>
    /// With <see cref="VnetHdr"/>: the virtio-net header size to set (TUNSETVNETHDRSZ, at least 10;
    /// 12 for <c>virtio_net_hdr_mrg_rxbuf</c>); 0 keeps the kernel's default of 10.
    /// </summary>
    public int VnetHeaderSize { get; init; }

    /// <summary>
    /// With <see cref="VnetHdr"/> on a tun device: the offloads to ask for with TUNSETOFFLOAD (checksum,
    /// TCP and UDP segmentation). The device takes what the kernel accepts — UDP segmentation needs
    /// Linux 6.2 — and <see cref="TunDevice.Offloads"/> says what that was; none is an error.
    /// </summary>
    public PacketOffloads Offloads { get; init; }

    /// <summary>IFF_TUN_EXCL: fail with "exists" instead of attaching when the device is already there.</summary>
    public bool Exclusive { get; init; }

    /// <summary>The clone device; <c>/dev/net/tun</c> unless a test or a container provides another node.</summary>
    public string CloneDevice { get; init; } = "/dev/net/tun";

    /// <summary>The flags this record asks TUNSETIFF for.</summary>
    internal TunFlags ToFlags()
    {
        var flags = Mode == TunMode.Tap ? TunFlags.Tap : TunFlags.Tun;
        if (!PacketInfo)
        {
            flags |= TunFlags.NoPi;
        }
        if (MultiQueue)
        {
            flags |= TunFlags.MultiQueue;
        }
        if (VnetHdr)
        {
            flags |= TunFlags.VnetHdr;
        }
        if (Exclusive)
        {
            flags |= TunFlags.TunExcl;
        }
        return flags;
    }
}
