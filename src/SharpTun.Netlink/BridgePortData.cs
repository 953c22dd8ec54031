namespace SharpTun.Netlink;

/// <summary>
/// A bridge port's IFLA_INFO_SLAVE_DATA (slave kind "bridge"; what <c>ip -d link show</c> prints after
/// "bridge_slave"): STP port state, priority and cost, flags (hairpin, learning, flood, …) and timers.
/// </summary>
public sealed class BridgePortData
{
    private readonly Dictionary<BridgePortAttribute, ulong> _values = [];

    private BridgePortData()
    {
    }

    /// <summary>
    /// Every numeric attribute (u8/u16/u32/u64 payload) by type, in host order. Flags are 0/1; STATE is
    /// BR_STATE_* (0 disabled, 1 listening, 2 learning, 3 forwarding, 4 blocking); timers in centiseconds.
    /// </summary>
    public IReadOnlyDictionary<BridgePortAttribute, ulong> Values => _values;

    /// <summary>IFLA_BRPORT_BRIDGE_ID: the designated bridge.</summary>
    public BridgeId? DesignatedBridge { get; private set; }

    /// <summary>IFLA_BRPORT_ROOT_ID: the designated root.</summary>
    public BridgeId? DesignatedRoot { get; private set; }

    /// <summary>Decodes the nested IFLA_INFO_SLAVE_DATA of a link whose slave kind is "bridge".</summary>
    internal static BridgePortData Parse(ReadOnlySpan<byte> nested)
    {
        var d = new BridgePortData();
        var a = new AttributeReader(nested);
        while (a.Next())
        {
            switch ((BridgePortAttribute)a.Type)
            {
                case BridgePortAttribute.BridgeId:
                    d.DesignatedBridge = BridgeId.Parse(a.Value);
                    break;
                case BridgePortAttribute.RootId:
                    d.DesignatedRoot = BridgeId.Parse(a.Value);
                    break;
                default:
                    if (BridgeLinkData.Number(a.Value) is { } n)
                    {
                        d._values[(BridgePortAttribute)a.Type] = n;
                    }
                    break;
            }
        }
        return d;
    }
}
