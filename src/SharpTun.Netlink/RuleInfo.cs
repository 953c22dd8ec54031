using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace SharpTun.Netlink;

/// <summary>A policy routing rule as RTM_NEWRULE carries it (struct fib_rule_hdr + FRA_* attributes).</summary>
public sealed record RuleInfo
{
    internal const int HeaderSize = 12;
    internal const ushort FRA_DST = 1;
    internal const ushort FRA_SRC = 2;
    internal const ushort FRA_IIFNAME = 3;
    internal const ushort FRA_PRIORITY = 6;
    internal const ushort FRA_FWMARK = 10;
    internal const ushort FRA_SUPPRESS_PREFIXLEN = 14;
    internal const ushort FRA_TABLE = 15;
    internal const ushort FRA_FWMASK = 16;
    internal const ushort FRA_OIFNAME = 17;
    internal const ushort FRA_PROTOCOL = 21;
    internal const uint FIB_RULE_INVERT = 2;

    /// <summary>FR_ACT_TO_TBL: look the packet up in <see cref="Table"/>.</summary>
    public const byte ActionLookup = 1;

    /// <summary>IPv4 or IPv6.</summary>
    public AddressFamily Family { get; init; }
    /// <summary>Priority (FRA_PRIORITY); lower runs first.</summary>
    public uint Priority { get; init; }
    /// <summary>True for <c>not</c> (FIB_RULE_INVERT).</summary>
    public bool Invert { get; init; }
    /// <summary>Source selector (<c>from</c>); null is "all".</summary>
    public IpPrefix? Source { get; init; }
    /// <summary>Destination selector (<c>to</c>).</summary>
    public IpPrefix? Destination { get; init; }
    /// <summary>Firewall mark (<c>fwmark</c>).</summary>
    public uint? FwMark { get; init; }
    /// <summary>Mask of the mark (default all ones).</summary>
    public uint? FwMask { get; init; }
    /// <summary>Input interface (<c>iif</c>).</summary>
    public string? InputInterface { get; init; }
    /// <summary>Output interface (<c>oif</c>).</summary>
    public string? OutputInterface { get; init; }
    /// <summary>Table looked up (<c>lookup</c>); 0 for a non-lookup action.</summary>
    public uint Table { get; init; }
    /// <summary>FR_ACT_*: 1 lookup, 2 goto, 3 nop, 6 blackhole, 7 unreachable, 8 prohibit.</summary>
    public byte Action { get; init; }
    /// <summary><c>suppress_prefixlength N</c>, when set.</summary>
    public int? SuppressPrefixLength { get; init; }
    /// <summary>Who installed it (FRA_PROTOCOL; 2 kernel for the default rules).</summary>
    public byte Protocol { get; init; }

    internal static RuleInfo Parse(ReadOnlySpan<byte> body)
    {
        if (body.Length < HeaderSize)
        {
            throw new NetlinkFormatException($"rule message of {body.Length} bytes, needs {HeaderSize}");
        }
        var family = body[0] switch
        {
            Nl.AF_INET => AddressFamily.InterNetwork,
            Nl.AF_INET6 => AddressFamily.InterNetworkV6,
            _ => AddressFamily.Unspecified,
        };
        int dstLen = body[1], srcLen = body[2];
        var info = new RuleInfo
        {
            Family = family,
            Table = body[4],
            Action = body[7],
            Invert = (BinaryPrimitives.ReadUInt32LittleEndian(body[8..]) & FIB_RULE_INVERT) != 0,
        };
        var a = new AttributeReader(body[HeaderSize..]);
        while (a.Next())
        {
            info = a.Type switch
            {
                FRA_SRC => info with { Source = new IpPrefix(a.Address(), srcLen) },
                FRA_DST => info with { Destination = new IpPrefix(a.Address(), dstLen) },
                FRA_PRIORITY => info with { Priority = a.U32() },
                FRA_FWMARK => info with { FwMark = a.U32() },
                FRA_FWMASK => info with { FwMask = a.U32() },
                FRA_IIFNAME => info with { InputInterface = a.String() },
                FRA_OIFNAME => info with { OutputInterface = a.String() },
                FRA_TABLE => info with { Table = a.U32() },
                FRA_SUPPRESS_PREFIXLEN => a.I32() is var pl && pl != -1 ? info with { SuppressPrefixLength = pl } : info,
                FRA_PROTOCOL => info with { Protocol = a.U8() },
                _ => info,
            };
        }
        return info;
    }

    internal static IPAddress Any(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
}
