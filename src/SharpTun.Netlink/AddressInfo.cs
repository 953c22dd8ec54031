using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace SharpTun.Netlink;

/// <summary>One interface address as RTM_NEWADDR describes it (what <c>ip addr show</c> prints).</summary>
public sealed record AddressInfo
{
    /// <summary>InterNetwork or InterNetworkV6.</summary>
    public AddressFamily Family { get; init; }
    /// <summary>Index of the interface it is on.</summary>
    public int Index { get; init; }
    /// <summary>Prefix length.</summary>
    public int PrefixLength { get; init; }
    /// <summary>IFA_F_* flags (IFA_FLAGS when present, else ifa_flags).</summary>
    public uint Flags { get; init; }
    /// <summary>RT_SCOPE_* scope.</summary>
    public byte Scope { get; init; }
    /// <summary>The local address (IFA_LOCAL; for IPv6 the kernel only sends IFA_ADDRESS, which is then used).</summary>
    public IPAddress Local { get; init; } = IPAddress.None;
    /// <summary>IFA_ADDRESS: equals <see cref="Local"/> except on point-to-point addresses, where it is the peer.</summary>
    public IPAddress? Address { get; init; }
    /// <summary>IPv4 broadcast (IFA_BROADCAST).</summary>
    public IPAddress? Broadcast { get; init; }
    /// <summary>IPv4 label (IFA_LABEL).</summary>
    public string? Label { get; init; }
    /// <summary>Valid lifetime in seconds (0xffffffff = forever), from IFA_CACHEINFO.</summary>
    public uint ValidLifetime { get; init; } = uint.MaxValue;
    /// <summary>Preferred lifetime in seconds (0xffffffff = forever).</summary>
    public uint PreferredLifetime { get; init; } = uint.MaxValue;

    /// <summary>The peer address when this is a point-to-point address, else null.</summary>
    public IPAddress? Peer => Address is not null && !Address.Equals(Local) ? Address : null;

    /// <summary><c>LOCAL/PREFIXLEN</c>.</summary>
    public IpPrefix Prefix => new(Local, PrefixLength);

    internal static AddressInfo Parse(ReadOnlySpan<byte> body)
    {
        if (body.Length < Rt.IfAddrMsgSize)
        {
            throw new NetlinkFormatException($"address message of {body.Length} bytes, needs {Rt.IfAddrMsgSize}");
        }
        var family = body[0] switch
        {
            Nl.AF_INET => AddressFamily.InterNetwork,
            Nl.AF_INET6 => AddressFamily.InterNetworkV6,
            _ => AddressFamily.Unspecified,
        };
        var info = new AddressInfo
        {
            Family = family,
            PrefixLength = body[1],
            Flags = body[2],
            Scope = body[3],
            Index = BinaryPrimitives.ReadInt32LittleEndian(body[4..]),
        };
        IPAddress? local = null;
        var a = new AttributeReader(body[Rt.IfAddrMsgSize..]);
        while (a.Next())
        {
            switch (a.Type)
            {
                case Rt.IFA_LOCAL: local = a.Address(); break;
                case Rt.IFA_ADDRESS: info = info with { Address = a.Address() }; break;
                case Rt.IFA_BROADCAST: info = info with { Broadcast = a.Address() }; break;
                case Rt.IFA_LABEL: info = info with { Label = a.String() }; break;
                case Rt.IFA_FLAGS: info = info with { Flags = a.U32() }; break;
                case Rt.IFA_CACHEINFO when a.Value.Length >= 8:
                    info = info with
                    {
                        PreferredLifetime = BinaryPrimitives.ReadUInt32LittleEndian(a.Value),
                        ValidLifetime = BinaryPrimitives.ReadUInt32LittleEndian(a.Value[4..]),
                    };
                    break;
            }
        }
        var l = local ?? info.Address ?? throw new NetlinkFormatException("address message without IFA_LOCAL or IFA_ADDRESS");
        return info with { Local = l };
    }
}
