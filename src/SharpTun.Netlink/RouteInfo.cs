using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace SharpTun.Netlink;

/// <summary>One route as RTM_NEWROUTE describes it (what <c>ip route show table all</c> prints).</summary>
public sealed record RouteInfo
{
    /// <summary>InterNetwork or InterNetworkV6.</summary>
    public AddressFamily Family { get; init; }
    /// <summary>Destination (RTA_DST) with rtm_dst_len; null destination means default (0.0.0.0/0 or ::/0).</summary>
    public IPAddress? Destination { get; init; }
    /// <summary>rtm_dst_len.</summary>
    public int DestinationLength { get; init; }
    /// <summary>Source prefix (RTA_SRC) with rtm_src_len; present on IPv6 <c>route get</c> answers and source routes.</summary>
    public IPAddress? Source { get; init; }
    /// <summary>rtm_src_len.</summary>
    public int SourceLength { get; init; }
    /// <summary>Gateway (RTA_GATEWAY).</summary>
    public IPAddress? Gateway { get; init; }
    /// <summary>Output interface index (RTA_OIF).</summary>
    public int? OutputIndex { get; init; }
    /// <summary>Preferred source (RTA_PREFSRC).</summary>
    public IPAddress? PreferredSource { get; init; }
    /// <summary>Metric (RTA_PRIORITY).</summary>
    public uint? Metric { get; init; }
    /// <summary>Table: RTA_TABLE when present, else rtm_table (254 main, 255 local).</summary>
    public uint Table { get; init; }
    /// <summary>RTPROT_* protocol: 2 kernel, 3 boot, 4 static.</summary>
    public byte Protocol { get; init; }
    /// <summary>RT_SCOPE_*.</summary>
    public byte Scope { get; init; }
    /// <summary>RTN_* type: 1 unicast, 2 local, 3 broadcast, 6 blackhole, 7 unreachable, 8 prohibit.</summary>
    public byte Type { get; init; }
    /// <summary>rtm_flags (RTNH_F_*: 0x10 linkdown, 0x4 onlink, …; RTM_F_CLONED 0x200).</summary>
    public uint Flags { get; init; }
    /// <summary>RTA_UID: the uid a <c>route get</c> answer was computed for.</summary>
    public uint? Uid { get; init; }
    /// <summary>The route's MTU (RTAX_MTU in RTA_METRICS: <c>ip route … mtu N</c>), when set.</summary>
    public uint? Mtu { get; init; }

    /// <summary>IPv6 router preference (RTA_PREF), when present.</summary>
    public byte? Preference { get; init; }

    /// <summary>The destination as iproute2 prints it: "default" or ADDR[/LEN] (the /LEN omitted for host routes).</summary>
    public string DestinationText
    {
        get
        {
            if (DestinationLength == 0 && (Destination is null || Destination.Equals(IPAddress.Any) || Destination.Equals(IPAddress.IPv6Any)))
            {
                return "default";
            }
            var max = Family == AddressFamily.InterNetwork ? 32 : 128;
            var dst = Destination ?? (Family == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any);
            return DestinationLength == max ? dst.ToString() : $"{dst}/{DestinationLength}";
        }
    }

    internal static RouteInfo Parse(ReadOnlySpan<byte> body)
    {
        if (body.Length < Rt.RtMsgSize)
        {
            throw new NetlinkFormatException($"route message of {body.Length} bytes, needs {Rt.RtMsgSize}");
        }
        var info = new RouteInfo
        {
            Family = body[0] switch
            {
                Nl.AF_INET => AddressFamily.InterNetwork,
                Nl.AF_INET6 => AddressFamily.InterNetworkV6,
                _ => AddressFamily.Unspecified,
            },
            DestinationLength = body[1],
            SourceLength = body[2],
            Table = body[4],
            Protocol = body[5],
            Scope = body[6],
            Type = body[7],
            Flags = BinaryPrimitives.ReadUInt32LittleEndian(body[8..]),
        };
        var a = new AttributeReader(body[Rt.RtMsgSize..]);
        while (a.Next())
        {
            info = a.Type switch
            {
                Rt.RTA_DST => info with { Destination = a.Address() },
                Rt.RTA_GATEWAY => info with { Gateway = a.Address() },
                Rt.RTA_SRC => info with { Source = a.Address() },
                Rt.RTA_OIF => info with { OutputIndex = a.I32() },
                Rt.RTA_PREFSRC => info with { PreferredSource = a.Address() },
                Rt.RTA_PRIORITY => info with { Metric = a.U32() },
                Rt.RTA_TABLE => info with { Table = a.U32() },
                Rt.RTA_PREF => info with { Preference = a.U8() },
                Rt.RTA_UID => info with { Uid = a.U32() },
                Rt.RTA_METRICS => info with { Mtu = MetricsMtu(a.Value) ?? info.Mtu },
                _ => info,
            };
        }
        return info;
    }

    /// <summary>RTAX_MTU from the nested RTA_METRICS attributes, when present.</summary>
    private static uint? MetricsMtu(ReadOnlySpan<byte> metrics)
    {
        var m = new AttributeReader(metrics);
        while (m.Next())
        {
            if (m.Type == Rt.RTAX_MTU)
            {
                return m.U32();
            }
        }
        return null;
    }
}
