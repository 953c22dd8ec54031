namespace SharpTun.Netlink;

/// <summary>
/// The tun driver's IFLA_INFO_DATA (enum ifla_tun in linux/if_link.h), what <c>ip -d link show</c>
/// prints under "tun type … pi … persist …". Read over netlink it always describes the caller's
/// network namespace, unlike /sys/class/net, which shows the namespace /sys was mounted in.
/// </summary>
public sealed record TunLinkData
{
    internal const ushort IFLA_TUN_OWNER = 1;
    internal const ushort IFLA_TUN_GROUP = 2;
    internal const ushort IFLA_TUN_TYPE = 3;
    internal const ushort IFLA_TUN_PI = 4;
    internal const ushort IFLA_TUN_VNET_HDR = 5;
    internal const ushort IFLA_TUN_PERSIST = 6;
    internal const ushort IFLA_TUN_MULTI_QUEUE = 7;
    internal const ushort IFLA_TUN_NUM_QUEUES = 8;
    internal const ushort IFLA_TUN_NUM_DISABLED_QUEUES = 9;

    /// <summary>IFF_TUN (1) or IFF_TAP (2).</summary>
    public byte Type { get; init; }
    /// <summary>Packets carry the 4-byte packet-information header.</summary>
    public bool PacketInfo { get; init; }
    /// <summary>Packets carry a virtio_net_hdr.</summary>
    public bool VnetHdr { get; init; }
    /// <summary>The device outlives its last fd.</summary>
    public bool Persist { get; init; }
    /// <summary>IFF_MULTI_QUEUE.</summary>
    public bool MultiQueue { get; init; }
    /// <summary>Owner uid allowed to attach; null when unset (the kernel omits the attribute).</summary>
    public uint? Owner { get; init; }
    /// <summary>Group gid allowed to attach; null when unset.</summary>
    public uint? Group { get; init; }
    /// <summary>Attached queues (fds).</summary>
    public uint Queues { get; init; }
    /// <summary>Attached but disabled queues (TUNSETQUEUE IFF_DETACH_QUEUE).</summary>
    public uint DisabledQueues { get; init; }

    /// <summary>Decodes the nested IFLA_INFO_DATA of a link whose kind is "tun".</summary>
    internal static TunLinkData Parse(ReadOnlySpan<byte> nested)
    {
        var d = new TunLinkData();
        var a = new AttributeReader(nested);
        while (a.Next())
        {
            d = a.Type switch
            {
                IFLA_TUN_OWNER => d with { Owner = a.U32() },
                IFLA_TUN_GROUP => d with { Group = a.U32() },
                IFLA_TUN_TYPE => d with { Type = a.U8() },
                IFLA_TUN_PI => d with { PacketInfo = a.U8() != 0 },
                IFLA_TUN_VNET_HDR => d with { VnetHdr = a.U8() != 0 },
                IFLA_TUN_PERSIST => d with { Persist = a.U8() != 0 },
                IFLA_TUN_MULTI_QUEUE => d with { MultiQueue = a.U8() != 0 },
                IFLA_TUN_NUM_QUEUES => d with { Queues = a.U32() },
                IFLA_TUN_NUM_DISABLED_QUEUES => d with { DisabledQueues = a.U32() },
                _ => d,
            };
        }
        return d;
    }
}
