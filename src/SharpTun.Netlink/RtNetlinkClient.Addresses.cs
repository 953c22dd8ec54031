using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace SharpTun.Netlink;

public sealed partial class RtNetlinkClient
{
    private const uint IFA_F_NODAD = 0x02;
    private const uint IFA_F_NOPREFIXROUTE = 0x200;

    /// <summary>
    /// Lists addresses, of all links or of <paramref name="link"/>, of one family or both.
    /// Equivalent to: <c>ip addr show [dev $link]</c>.
    /// </summary>
    public IReadOnlyList<AddressInfo> GetAddresses(string? link = null, AddressFamily family = AddressFamily.Unspecified)
    {
        var index = link is null ? 0 : IndexOf(link, $"cannot list addresses of '{link}'");
        var req = new NetlinkMessageBuilder(Nl.RTM_GETADDR, Nl.F_DUMP);
        req.Reserve(Rt.IfAddrMsgSize)[0] = FamilyByte(family);
        return [.. _connection.Query(req, link is null ? "cannot list addresses" : $"cannot list addresses of '{link}'")
            .Where(m => m.Type == Nl.RTM_NEWADDR)
            .Select(m => AddressInfo.Parse(m.Payload))
            .Where(a => index == 0 || a.Index == index)];
    }

    /// <summary>
    /// Adds an address. <see cref="AddressOptions.BroadcastFromPrefix"/> is <c>brd +</c>.
    /// Equivalent to: <c>ip addr add $address [peer $peer] [broadcast $brd|brd +] [scope $scope] [label $label] dev $link</c>.
    /// </summary>
    public void AddressAdd(string link, IpPrefix address, AddressOptions? options = null)
    {
        options ??= new AddressOptions();
        var op = $"cannot add address {address} to '{link}'";
        ValidateOptions(address, options, op);
        var index = IndexOf(link, op);
        var req = AddressRequest(Nl.RTM_NEWADDR, Nl.F_CREATE | Nl.F_EXCL, address, index, options.Scope ?? DefaultScope(address.Address));
        req.Add(Rt.IFA_LOCAL, address.Address.GetAddressBytes());
        req.Add(Rt.IFA_ADDRESS, (options.Peer ?? address.Address).GetAddressBytes());
        var brd = options.Broadcast ?? (options.BroadcastFromPrefix ? address.BroadcastAddress : null);
        if (brd is not null)
        {
            req.Add(Rt.IFA_BROADCAST, brd.GetAddressBytes());
        }
        if (options.Label is not null)
        {
            req.AddString(Rt.IFA_LABEL, options.Label);
        }
        var flags = (options.NoDad ? IFA_F_NODAD : 0) | (options.NoPrefixRoute ? IFA_F_NOPREFIXROUTE : 0);
        if (flags != 0)
        {
            req.AddU32(Rt.IFA_FLAGS, flags);
        }
        _connection.Execute(req, op);
    }

    /// <summary>Removes an address. Equivalent to: <c>ip addr del $address dev $link</c>.</summary>
    public void AddressDelete(string link, IpPrefix address, IPAddress? peer = null)
    {
        var op = $"cannot delete address {address} from '{link}'";
        var index = IndexOf(link, op);
        var req = AddressRequest(Nl.RTM_DELADDR, 0, address, index, 0);
        req.Add(Rt.IFA_LOCAL, address.Address.GetAddressBytes());
        if (peer is not null)
        {
            req.Add(Rt.IFA_ADDRESS, peer.GetAddressBytes());
        }
        _connection.Execute(req, op);
    }

    /// <summary>Removes every address of a link (of one family or all). Equivalent to: <c>ip addr flush dev $link</c>.</summary>
    public void AddressFlush(string link, AddressFamily family = AddressFamily.Unspecified)
    {
        foreach (var a in GetAddresses(link, family))
        {
            AddressDelete(link, a.Prefix, a.Peer);
        }
    }

    private static void ValidateOptions(IpPrefix address, AddressOptions options, string op)
    {
        if (!address.IsIPv4 && (options.Broadcast is not null || options.BroadcastFromPrefix))
        {
            throw new ArgumentException($"{op}: broadcast applies to IPv4 only");
        }
        if (options.Peer is not null && options.Peer.AddressFamily != address.Address.AddressFamily)
        {
            throw new ArgumentException($"{op}: peer {options.Peer} is of another address family");
        }
        if (options.Broadcast is not null && options.Broadcast.AddressFamily != address.Address.AddressFamily)
        {
            throw new ArgumentException($"{op}: broadcast {options.Broadcast} is of another address family");
        }
    }

    /// <summary>iproute2's default_scope: host for 127.0.0.0/8, otherwise global (the kernel picks for IPv6 ::1 and fe80::/10).</summary>
    private static byte DefaultScope(IPAddress a) =>
        a.AddressFamily == AddressFamily.InterNetwork && a.GetAddressBytes()[0] == 127 ? Rt.RT_SCOPE_HOST : Rt.RT_SCOPE_UNIVERSE;

    private static NetlinkMessageBuilder AddressRequest(ushort type, ushort flags, IpPrefix address, int index, byte scope)
    {
        var req = new NetlinkMessageBuilder(type, flags);
        var h = req.Reserve(Rt.IfAddrMsgSize);
        h[0] = address.IsIPv4 ? Nl.AF_INET : Nl.AF_INET6;
        h[1] = (byte)address.Length;
        h[3] = scope;
        BinaryPrimitives.WriteInt32LittleEndian(h[4..], index);
        return req;
    }

    internal static byte FamilyByte(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => Nl.AF_INET,
        AddressFamily.InterNetworkV6 => Nl.AF_INET6,
        AddressFamily.Unspecified => Nl.AF_UNSPEC,
        _ => throw new ArgumentException($"unsupported address family {family}"),
    };
}
