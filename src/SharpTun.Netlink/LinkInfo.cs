using System.Buffers.Binary;

namespace SharpTun.Netlink;

/// <summary>One network interface as RTM_NEWLINK describes it (what <c>ip -d link show</c> prints).</summary>
public sealed record LinkInfo
{
    /// <summary>Interface index (ifi_index).</summary>
    public int Index { get; init; }
    /// <summary>Name (IFLA_IFNAME).</summary>
    public string Name { get; init; } = "";
    /// <summary>IFF_* flags (ifi_flags).</summary>
    public LinkFlags Flags { get; init; }
    /// <summary>ARPHRD_* device type (ifi_type): 1 ether, 772 loopback, 65534 none (tun).</summary>
    public ushort LinkType { get; init; }
    /// <summary>MTU in bytes (IFLA_MTU).</summary>
    public int Mtu { get; init; }
    /// <summary>RFC 2863 operational state (IFLA_OPERSTATE).</summary>
    public OperState OperState { get; init; }
    /// <summary>IFLA_LINKMODE: 0 default, 1 dormant.</summary>
    public byte LinkMode { get; init; }
    /// <summary>Link-layer address (IFLA_ADDRESS), e.g. a MAC; null for devices without one (tun).</summary>
    public byte[]? Address { get; init; }
    /// <summary>Link-layer broadcast address (IFLA_BROADCAST).</summary>
    public byte[]? Broadcast { get; init; }
    /// <summary>Index of the master (bridge, bond) this link is a port of (IFLA_MASTER).</summary>
    public int? MasterIndex { get; init; }
    /// <summary>IFLA_LINK: the lower/peer device index (veth peer, vlan parent), possibly in another namespace.</summary>
    public int? LinkIndex { get; init; }
    /// <summary>IFLA_LINK_NETNSID: the namespace id of <see cref="LinkIndex"/> when it is elsewhere.</summary>
    public int? LinkNetNsId { get; init; }
    /// <summary>IFLA_INFO_KIND: veth, bridge, tun, dummy, …; null for physical devices and loopback.</summary>
    public string? Kind { get; init; }
    /// <summary>IFLA_INFO_SLAVE_KIND: e.g. "bridge" for a bridge port.</summary>
    public string? SlaveKind { get; init; }
    /// <summary>Transmit queue length (IFLA_TXQLEN).</summary>
    public int TxQueueLength { get; init; }
    /// <summary>Queueing discipline (IFLA_QDISC), e.g. noqueue, fq_codel.</summary>
    public string? Qdisc { get; init; }
    /// <summary>Interface group (IFLA_GROUP); 0 is "default".</summary>
    public uint Group { get; init; }
    /// <summary>Promiscuity count (IFLA_PROMISCUITY).</summary>
    public uint Promiscuity { get; init; }
    /// <summary>All-multicast count (IFLA_ALLMULTI, Linux 6.6+), when reported.</summary>
    public uint? AllMulti { get; init; }
    /// <summary>IFLA_MIN_MTU, when reported.</summary>
    public int? MinMtu { get; init; }
    /// <summary>IFLA_MAX_MTU, when reported.</summary>
    public int? MaxMtu { get; init; }
    /// <summary>IFLA_NUM_TX_QUEUES.</summary>
    public int? TxQueues { get; init; }
    /// <summary>IFLA_NUM_RX_QUEUES.</summary>
    public int? RxQueues { get; init; }
    /// <summary>IFLA_CARRIER: 1 when the driver reports carrier.</summary>
    public bool? Carrier { get; init; }
    /// <summary>IFLA_IFALIAS.</summary>
    public string? Alias { get; init; }
    /// <summary>The tun driver's settings when <see cref="Kind"/> is "tun" (IFLA_INFO_DATA).</summary>
    public TunLinkData? Tun { get; init; }
    /// <summary>The bridge's settings and STP state when <see cref="Kind"/> is "bridge" (IFLA_INFO_DATA).</summary>
    public BridgeLinkData? Bridge { get; init; }
    /// <summary>The port's settings and STP state when <see cref="SlaveKind"/> is "bridge" (IFLA_INFO_SLAVE_DATA).</summary>
    public BridgePortData? BridgePort { get; init; }
    /// <summary>IFLA_GSO_MAX_SIZE: the largest GSO packet the stack builds for this device, bytes.</summary>
    public uint? GsoMaxSize { get; init; }

    /// <summary>IFLA_GSO_MAX_SEGS: the most segments in one GSO packet.</summary>
    public uint? GsoMaxSegments { get; init; }

    /// <summary>IFLA_TSO_MAX_SIZE: the largest TSO packet the device accepts, bytes.</summary>
    public uint? TsoMaxSize { get; init; }

    /// <summary>IFLA_TSO_MAX_SEGS: the most segments the device accepts in one TSO packet.</summary>
    public uint? TsoMaxSegments { get; init; }

    /// <summary>IFLA_GRO_MAX_SIZE: the largest packet GRO builds on receive, bytes.</summary>
    public uint? GroMaxSize { get; init; }

    /// <summary>IFLA_AF_SPEC/AF_INET6/IFLA_INET6_ADDR_GEN_MODE: 0 eui64, 1 none, 2 stable_secret, 3 random.</summary>
    public byte? Inet6AddrGenMode { get; init; }

    /// <summary>Counters (IFLA_STATS64).</summary>
    public LinkStatistics? Statistics { get; init; }

    /// <summary>True when the link is administratively up (IFF_UP).</summary>
    public bool IsUp => (Flags & LinkFlags.Up) != 0;

    /// <summary>Decodes an RTM_NEWLINK body (ifinfomsg + attributes).</summary>
    internal static LinkInfo Parse(ReadOnlySpan<byte> body)
    {
        if (body.Length < Rt.IfInfoMsgSize)
        {
            throw new NetlinkFormatException($"link message of {body.Length} bytes, needs {Rt.IfInfoMsgSize}");
        }
        var type = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
        var index = BinaryPrimitives.ReadInt32LittleEndian(body[4..]);
        var flags = (LinkFlags)BinaryPrimitives.ReadUInt32LittleEndian(body[8..]);
        var link = new LinkInfo { Index = index, Flags = flags, LinkType = type };
        var a = new AttributeReader(body[Rt.IfInfoMsgSize..]);
        while (a.Next())
        {
            link = a.Type switch
            {
                Rt.IFLA_IFNAME => link with { Name = a.String() },
                Rt.IFLA_MTU => link with { Mtu = a.I32() },
                Rt.IFLA_OPERSTATE => link with { OperState = (OperState)a.U8() },
                Rt.IFLA_LINKMODE => link with { LinkMode = a.U8() },
                Rt.IFLA_ADDRESS => link with { Address = a.Value.ToArray() },
                Rt.IFLA_BROADCAST => link with { Broadcast = a.Value.ToArray() },
                Rt.IFLA_MASTER => link with { MasterIndex = a.I32() },
                Rt.IFLA_LINK => link with { LinkIndex = a.I32() },
                Rt.IFLA_LINK_NETNSID => link with { LinkNetNsId = a.I32() },
                Rt.IFLA_TXQLEN => link with { TxQueueLength = a.I32() },
                Rt.IFLA_QDISC => link with { Qdisc = a.String() },
                Rt.IFLA_GROUP => link with { Group = a.U32() },
                Rt.IFLA_PROMISCUITY => link with { Promiscuity = a.U32() },
                Rt.IFLA_MIN_MTU => link with { MinMtu = a.I32() },
                Rt.IFLA_ALLMULTI => link with { AllMulti = a.U32() },
                Rt.IFLA_MAX_MTU => link with { MaxMtu = a.I32() },
                Rt.IFLA_NUM_TX_QUEUES => link with { TxQueues = a.I32() },
                Rt.IFLA_NUM_RX_QUEUES => link with { RxQueues = a.I32() },
                Rt.IFLA_CARRIER => link with { Carrier = a.U8() != 0 },
                Rt.IFLA_IFALIAS => link with { Alias = a.String() },
                Rt.IFLA_STATS64 => link with { Statistics = LinkStatistics.Parse(a.Value) },
                Rt.IFLA_GSO_MAX_SIZE => link with { GsoMaxSize = a.U32() },
                Rt.IFLA_GSO_MAX_SEGS => link with { GsoMaxSegments = a.U32() },
                Rt.IFLA_TSO_MAX_SIZE => link with { TsoMaxSize = a.U32() },
                Rt.IFLA_TSO_MAX_SEGS => link with { TsoMaxSegments = a.U32() },
                Rt.IFLA_GRO_MAX_SIZE => link with { GroMaxSize = a.U32() },
                Rt.IFLA_AF_SPEC => link with { Inet6AddrGenMode = ParseAddrGenMode(a.Value) ?? link.Inet6AddrGenMode },
                Rt.IFLA_LINKINFO => ParseLinkInfo(link, a.Value),
                _ => link,
            };
        }
        return link;
    }

    /// <summary>IFLA_AF_SPEC holds one nest per address family (type = AF_*); AF_INET6's carries the mode.</summary>
    private static byte? ParseAddrGenMode(ReadOnlySpan<byte> afSpec)
    {
        const ushort afInet6 = 10;
        var families = new AttributeReader(afSpec);
        while (families.Next())
        {
            if (families.Type != afInet6)
            {
                continue;
            }
            var inet6 = new AttributeReader(families.Value);
            while (inet6.Next())
            {
                if (inet6.Type == Rt.IFLA_INET6_ADDR_GEN_MODE)
                {
                    return inet6.U8();
                }
            }
        }
        return null;
    }

    private static LinkInfo ParseLinkInfo(LinkInfo link, ReadOnlySpan<byte> nested)
    {
        var a = new AttributeReader(nested);
        ReadOnlySpan<byte> data = default;
        ReadOnlySpan<byte> slaveData = default;
        while (a.Next())
        {
            if (a.Type == Rt.IFLA_INFO_KIND)
            {
                link = link with { Kind = a.String() };
            }
            else if (a.Type == Rt.IFLA_INFO_SLAVE_KIND)
            {
                link = link with { SlaveKind = a.String() };
            }
            else if (a.Type == Rt.IFLA_INFO_DATA)
            {
                data = a.Value;
            }
            else if (a.Type == Rt.IFLA_INFO_SLAVE_DATA)
            {
                slaveData = a.Value;
            }
        }
        // IFLA_INFO_DATA is interpreted by kind; the kernel puts KIND first, but order is not relied on.
        if (!data.IsEmpty)
        {
            link = link.Kind switch
            {
                "tun" => link with { Tun = TunLinkData.Parse(data) },
                "bridge" => link with { Bridge = BridgeLinkData.Parse(data) },
                _ => link,
            };
        }
        return link.SlaveKind == "bridge" && !slaveData.IsEmpty ? link with { BridgePort = BridgePortData.Parse(slaveData) } : link;
    }

    /// <summary>Formats a link-layer address as iproute2 does: lower-case hex bytes joined by ':'.</summary>
    public static string FormatAddress(ReadOnlySpan<byte> address) =>
        string.Join(':', address.ToArray().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
}
