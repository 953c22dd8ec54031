using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace SharpTun.Netlink;

/// <summary>A neighbour (ARP/NDP) table entry as RTM_NEWNEIGH carries it (struct ndmsg + NDA_* attributes).</summary>
public sealed record NeighborInfo
{
    /// <summary>Size of struct ndmsg.</summary>
    internal const int NdMsgSize = 12;
    internal const ushort NDA_DST = 1;
    internal const ushort NDA_LLADDR = 2;

    /// <summary>NUD_* states in the order iproute2 names them.</summary>
    private static readonly (ushort Bit, string Name)[] s_states =
    [
        (0x01, "INCOMPLETE"), (0x02, "REACHABLE"), (0x04, "STALE"), (0x08, "DELAY"), (0x10, "PROBE"), (0x20, "FAILED"),
        (0x40, "NOARP"), (0x80, "PERMANENT"),
    ];

    /// <summary>NUD_PERMANENT: a static entry (<c>ip neigh add</c>'s default).</summary>
    public const ushort Permanent = 0x80;

    /// <summary>NUD_NOARP: entries ip neigh show leaves out (multicast, loopback).</summary>
    public const ushort NoArp = 0x40;

    /// <summary>IPv4 or IPv6.</summary>
    public AddressFamily Family { get; init; }
    /// <summary>Interface index.</summary>
    public int Index { get; init; }
    /// <summary>NUD_* bits.</summary>
    public ushort State { get; init; }
    /// <summary>NTF_* flags (0x80 router).</summary>
    public byte Flags { get; init; }
    /// <summary>The neighbour's IP address (NDA_DST).</summary>
    public IPAddress Address { get; init; } = IPAddress.None;
    /// <summary>Its link-layer address (NDA_LLADDR), when known.</summary>
    public byte[]? LinkAddress { get; init; }

    /// <summary>True when NTF_ROUTER is set (an IPv6 router).</summary>
    public bool IsRouter => (Flags & 0x80) != 0;

    /// <summary>The state as iproute2 prints it: "REACHABLE", "STALE", … ("NONE" for 0).</summary>
    public IReadOnlyList<string> StateNames =>
        State == 0 ? ["NONE"] : [.. s_states.Where(s => (State & s.Bit) != 0).Select(s => s.Name)];

    /// <summary>Parses a state name of <c>nud STATE</c> (case-insensitive; "noarp", "permanent", …).</summary>
    public static ushort ParseState(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var (bit, name) in s_states)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
            {
                return bit;
            }
        }
        return string.Equals(text, "none", StringComparison.OrdinalIgnoreCase)
            ? (ushort)0
            : throw new ArgumentException($"invalid nud state '{text}': use permanent, noarp, reachable, stale, none, …");
    }

    internal static NeighborInfo Parse(ReadOnlySpan<byte> body)
    {
        if (body.Length < NdMsgSize)
        {
            throw new NetlinkFormatException($"neighbour message of {body.Length} bytes, needs {NdMsgSize}");
        }
        var info = new NeighborInfo
        {
            Family = body[0] switch
            {
                Nl.AF_INET => AddressFamily.InterNetwork,
                Nl.AF_INET6 => AddressFamily.InterNetworkV6,
                _ => AddressFamily.Unspecified,
            },
            Index = BinaryPrimitives.ReadInt32LittleEndian(body[4..]),
            State = BinaryPrimitives.ReadUInt16LittleEndian(body[8..]),
            Flags = body[10],
        };
        var a = new AttributeReader(body[NdMsgSize..]);
        while (a.Next())
        {
            info = a.Type switch
            {
                NDA_DST => info with { Address = a.Address() },
                NDA_LLADDR => info with { LinkAddress = a.Value.ToArray() },
                _ => info,
            };
        }
        return info;
    }
}
