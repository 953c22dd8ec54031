using System.Buffers.Binary;

namespace SharpTun.Netlink;

/// <summary>
/// Configures interfaces, addresses and routes over rtnetlink (NETLINK_ROUTE), as iproute2 does.
/// It works in the network namespace its socket was created in. Get one from
/// <c>SharpTun.Linux.RtNetlink.Open()</c> / <c>OpenInNamespace(name)</c>, or construct it over any
/// <see cref="INetlinkSocket"/> (tests use a fake). Each operation is one request; kernel errors
/// become <see cref="NetlinkException"/> naming the operation, the object and the reason.
/// </summary>
public sealed partial class RtNetlinkClient : IDisposable
{
    private readonly NetlinkConnection _connection;

    /// <summary>Creates a client over <paramref name="socket"/>; the client owns it.</summary>
    public RtNetlinkClient(INetlinkSocket socket) => _connection = new NetlinkConnection(socket);

    /// <summary>Lists all links. Equivalent to: <c>ip -d -s link show</c>.</summary>
    public IReadOnlyList<LinkInfo> GetLinks()
    {
        var req = LinkRequest(Nl.RTM_GETLINK, Nl.F_DUMP, 0);
        req.AddU32(Rt.IFLA_EXT_MASK, Rt.RTEXT_FILTER_NONE);
        return [.. _connection.Query(req, "cannot list links")
            .Where(m => m.Type == Nl.RTM_NEWLINK)
            .Select(m => LinkInfo.Parse(m.Payload))];
    }

    /// <summary>Gets one link by name. Equivalent to: <c>ip -d -s link show dev $name</c>.</summary>
    public LinkInfo GetLink(string name) => GetLink(name, $"cannot find link '{name}'");

    /// <summary>Gets one link by index.</summary>
    public LinkInfo GetLink(int index)
    {
        var req = LinkRequest(Nl.RTM_GETLINK, 0, index);
        return ParseSingleLink(_connection.Query(req, $"cannot find link with index {index}"), $"index {index}");
    }

    /// <summary>The link named <paramref name="name"/>, or null when there is none.</summary>
    public LinkInfo? FindLink(string name)
    {
        try
        {
            return GetLink(name);
        }
        catch (NetlinkException e) when (e.Errno == Errno.ENODEV)
        {
            return null;
        }
    }

    internal LinkInfo GetLink(string name, string operation)
    {
        InterfaceName.Validate(name);
        var req = LinkRequest(Nl.RTM_GETLINK, 0, 0);
        req.AddString(Rt.IFLA_IFNAME, name);
        return ParseSingleLink(_connection.Query(req, operation), $"'{name}'");
    }

    private static LinkInfo ParseSingleLink(List<NetlinkConnection.Message> replies, string what)
    {
        var m = replies.FirstOrDefault(r => r.Type == Nl.RTM_NEWLINK);
        return m.Payload is null
            ? throw new NetlinkFormatException($"no link message in the reply for {what}")
            : LinkInfo.Parse(m.Payload);
    }

    /// <summary>Resolves a device name to its index; the error names <paramref name="operation"/>.</summary>
    internal int IndexOf(string name, string operation) => GetLink(name, operation).Index;

    /// <summary>A request with an ifinfomsg for <paramref name="index"/> (0 = by name or none).</summary>
    internal static NetlinkMessageBuilder LinkRequest(ushort type, ushort flags, int index, uint ifFlags = 0, uint change = 0, byte family = Nl.AF_UNSPEC)
    {
        var req = new NetlinkMessageBuilder(type, flags);
        WriteIfInfo(req.Reserve(Rt.IfInfoMsgSize), family, index, ifFlags, change);
        return req;
    }

    internal static void WriteIfInfo(Span<byte> h, byte family, int index, uint ifFlags, uint change)
    {
        h[0] = family;
        BinaryPrimitives.WriteInt32LittleEndian(h[4..], index);
        BinaryPrimitives.WriteUInt32LittleEndian(h[8..], ifFlags);
        BinaryPrimitives.WriteUInt32LittleEndian(h[12..], change);
    }

    /// <summary>Closes the netlink socket.</summary>
    public void Dispose() => _connection.Dispose();
}
