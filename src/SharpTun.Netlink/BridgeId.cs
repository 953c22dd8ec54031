using System.Buffers.Binary;
using System.Globalization;

namespace SharpTun.Netlink;

/// <summary>
/// A spanning-tree bridge identifier (struct ifla_bridge_id: 2 priority bytes in network order, then the
/// 6-byte MAC), printed as ip prints it: "8000.d6:92:2:91:e3:30" (the MAC through glibc's ether_ntoa_r,
/// which drops leading zeros: "2", not "02").
/// </summary>
public sealed class BridgeId
{
    /// <summary>The struct's size on the wire.</summary>
    internal const int Size = 8;

    private BridgeId(ushort priority, byte[] address)
    {
        Priority = priority;
        _address = address;
    }

    private readonly byte[] _address;

    /// <summary>Bridge priority (the upper 16 bits of the identifier), e.g. 0x8000 = 32768.</summary>
    public ushort Priority { get; }

    /// <summary>The bridge's MAC address.</summary>
    public ReadOnlyMemory<byte> Address => _address;

    /// <summary>"PPPP.a:bb:c:dd:ee:ff": priority as 4 hex digits, a dot, the MAC bytes in hex without leading zeros.</summary>
    public override string ToString() =>
        Priority.ToString("x4", CultureInfo.InvariantCulture) + "." +
        string.Join(':', _address.Select(b => b.ToString("x", CultureInfo.InvariantCulture)));

    internal static BridgeId Parse(ReadOnlySpan<byte> value) => value.Length >= Size
        ? new BridgeId(BinaryPrimitives.ReadUInt16BigEndian(value), value[2..Size].ToArray())
        : throw new NetlinkFormatException($"bridge id attribute of {value.Length} bytes, needs {Size}");
}
