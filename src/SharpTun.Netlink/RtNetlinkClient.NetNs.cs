namespace SharpTun.Netlink;

public sealed partial class RtNetlinkClient
{
    private const ushort RTM_NEWNSID = 88;
    private const ushort RTM_GETNSID = 90;
    private const ushort NETNSA_NSID = 1;
    private const ushort NETNSA_FD = 3;
    /// <summary>sizeof(struct rtgenmsg) padded to NLMSG_ALIGNTO.</summary>
    private const int RtGenMsgSize = 4;

    /// <summary>
    /// The id this namespace uses for another namespace (open as <paramref name="namespaceFd"/>), as in
    /// IFLA_LINK_NETNSID; null when none is assigned. Equivalent to: <c>ip netns list-id</c> for one namespace.
    /// </summary>
    public int? GetNamespaceId(int namespaceFd)
    {
        var req = new NetlinkMessageBuilder(RTM_GETNSID, 0);
        req.Reserve(RtGenMsgSize)[0] = Nl.AF_UNSPEC;
        req.AddI32(NETNSA_FD, namespaceFd);
        foreach (var m in _connection.Query(req, $"cannot get the id of namespace fd {namespaceFd}"))
        {
            if (m.Type != RTM_NEWNSID || m.Payload.Length < RtGenMsgSize)
            {
                continue;
            }
            var a = new AttributeReader(m.Payload.AsSpan(RtGenMsgSize));
            while (a.Next())
            {
                if (a.Type == NETNSA_NSID)
                {
                    var id = a.I32();
                    return id < 0 ? null : id;
                }
            }
        }
        return null;
    }
}
