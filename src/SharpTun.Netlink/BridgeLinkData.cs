using System.Buffers.Binary;

namespace SharpTun.Netlink;

/// <summary>
/// The bridge driver's IFLA_INFO_DATA (what <c>ip -d link show</c> prints after "bridge"): STP settings and
/// state, timers, multicast snooping and netfilter switches. Numeric attributes are kept by type as the
/// kernel sent them; which ones appear depends on the kernel's version and configuration.
/// </summary>
public sealed class BridgeLinkData
{
    private readonly Dictionary<BridgeAttribute, ulong> _values = [];

    private BridgeLinkData()
    {
    }

    /// <summary>
    /// Every numeric attribute (u8/u16/u32/u64 payload) by type, in host order as read. Units are the kernel's:
    /// delays and ages in centiseconds (USER_HZ clock ticks), as are the *_TIMER values (time left);
    /// <see cref="BridgeAttribute.VlanProtocol"/> is a big-endian EtherType (see <see cref="VlanProtocol"/>).
    /// </summary>
    public IReadOnlyDictionary<BridgeAttribute, ulong> Values => _values;

    /// <summary>IFLA_BR_BRIDGE_ID: this bridge's identifier.</summary>
    public BridgeId? BridgeId { get; private set; }

    /// <summary>IFLA_BR_ROOT_ID: the designated root's identifier.</summary>
    public BridgeId? RootId { get; private set; }

    /// <summary>IFLA_BR_GROUP_ADDR: the STP group MAC address (01:80:c2:00:00:00 by default).</summary>
    public ReadOnlyMemory<byte>? GroupAddress { get; private set; }

    /// <summary>IFLA_BR_MULTI_BOOLOPT optval: bit n set = option n on (BR_BOOLOPT_*: 0 no_linklocal_learn, 1 mcast_vlan_snooping).</summary>
    public uint? BoolOptValue { get; private set; }

    /// <summary>IFLA_BR_MULTI_BOOLOPT optmask: which option bits the kernel reports.</summary>
    public uint? BoolOptMask { get; private set; }

    /// <summary>The VLAN protocol EtherType in host order (0x8100 802.1Q, 0x88a8 802.1ad), when reported.</summary>
    public ushort? VlanProtocol => _values.TryGetValue(BridgeAttribute.VlanProtocol, out var v)
        ? BinaryPrimitives.ReverseEndianness((ushort)v)
        : null;

    /// <summary>Decodes the nested IFLA_INFO_DATA of a link whose kind is "bridge".</summary>
    internal static BridgeLinkData Parse(ReadOnlySpan<byte> nested)
    {
        var d = new BridgeLinkData();
        var a = new AttributeReader(nested);
        while (a.Next())
        {
            switch ((BridgeAttribute)a.Type)
            {
                case BridgeAttribute.BridgeId:
                    d.BridgeId = Netlink.BridgeId.Parse(a.Value);
                    break;
                case BridgeAttribute.RootId:
                    d.RootId = Netlink.BridgeId.Parse(a.Value);
                    break;
                case BridgeAttribute.GroupAddr:
                    d.GroupAddress = a.Value.ToArray();
                    break;
                case BridgeAttribute.MultiBoolopt:
                    // struct br_boolopt_multi { __u32 optval; __u32 optmask; }
                    d.BoolOptValue = a.U32();
                    d.BoolOptMask = a.Value.Length >= 8
                        ? BinaryPrimitives.ReadUInt32LittleEndian(a.Value[4..])
                        : throw a.Short(8);
                    break;
                default:
                    if (Number(a.Value) is { } n)
                    {
                        d._values[(BridgeAttribute)a.Type] = n;
                    }
                    break;
            }
        }
        return d;
    }

    /// <summary>A u8/u16/u32/u64 payload widened; null for other sizes (nests, structs).</summary>
    internal static ulong? Number(ReadOnlySpan<byte> v) => v.Length switch
    {
        1 => v[0],
        2 => BinaryPrimitives.ReadUInt16LittleEndian(v),
        4 => BinaryPrimitives.ReadUInt32LittleEndian(v),
        8 => BinaryPrimitives.ReadUInt64LittleEndian(v),
        _ => null,
    };
}
