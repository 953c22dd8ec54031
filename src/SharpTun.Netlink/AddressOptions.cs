using System.Net;

namespace SharpTun.Netlink;

/// <summary>Optional parts of <c>ip addr add</c>: <c>peer</c>, <c>broadcast</c>/<c>brd +</c>, <c>scope</c>, <c>label</c>.</summary>
public sealed record AddressOptions
{
    /// <summary>The remote end of a point-to-point address (<c>peer ADDR</c>); sent as IFA_ADDRESS while the local one is IFA_LOCAL.</summary>
    public IPAddress? Peer { get; init; }

    /// <summary>An explicit IPv4 broadcast address (<c>broadcast ADDR</c>).</summary>
    public IPAddress? Broadcast { get; init; }

    /// <summary>Derive the broadcast from the prefix (<c>brd +</c>): host bits all ones. IPv4 only.</summary>
    public bool BroadcastFromPrefix { get; init; }

    /// <summary>Scope (RT_SCOPE_*): 0 global, 253 link, 254 host; default as iproute2 (host for 127/8, else global).</summary>
    public byte? Scope { get; init; }

    /// <summary>IPv4 label (<c>label eth0:1</c>); must start with the device name.</summary>
    public string? Label { get; init; }

    /// <summary>Do not install the prefix route (IFA_F_NOPREFIXROUTE, <c>noprefixroute</c>).</summary>
    public bool NoPrefixRoute { get; init; }

    /// <summary>IPv6: skip duplicate address detection (IFA_F_NODAD, <c>nodad</c>).</summary>
    public bool NoDad { get; init; }
}
