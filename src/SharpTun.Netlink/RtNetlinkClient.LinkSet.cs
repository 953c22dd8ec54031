namespace SharpTun.Netlink;

public sealed partial class RtNetlinkClient
{
    /// <summary>
    /// Applies every change of <paramref name="change"/> in one RTM_NEWLINK: all of them or, when the kernel
    /// refuses one, none. Equivalent to: <c>ip link set dev $name up mtu $mtu address $mac …</c>.
    /// </summary>
    public void LinkSet(string name, LinkChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var words = change.ToString();
        var op = change with { Up = null } == new LinkChange() && change.Up is { } only
            ? $"cannot set link '{name}' {(only ? "up" : "down")}"
            : change with { Mtu = null } == new LinkChange() && change.Mtu is { } mtu
                ? $"cannot set mtu {mtu} on link '{name}'"
                : $"cannot set link '{name}' {words}";
        if (words.Length == 0)
        {
            throw new ArgumentException($"{op}: nothing to change");
        }
        if (change.Name is { } newName)
        {
            InterfaceName.Validate(newName);
        }
        var index = IndexOf(name, op);
        var master = change.Master is { Length: > 0 } m ? IndexOf(m, op) : 0;
        var req = change.Up is { } up
            ? LinkRequest(Nl.RTM_NEWLINK, 0, index, up ? Rt.IFF_UP : 0, Rt.IFF_UP)
            : LinkRequest(Nl.RTM_NEWLINK, 0, index);
        if (change.Mtu is { } newMtu)
        {
            req.AddI32(Rt.IFLA_MTU, newMtu);
        }
        if (change.Address is { } address)
        {
            req.Add(Rt.IFLA_ADDRESS, address);
        }
        if (change.Name is { } n)
        {
            req.AddString(Rt.IFLA_IFNAME, n);
        }
        if (change.TxQueueLength is { } q)
        {
            req.AddI32(Rt.IFLA_TXQLEN, q);
        }
        if (change.Master is not null)
        {
            req.AddI32(Rt.IFLA_MASTER, master);
        }
        if (change.NamespaceFd is { } fd)
        {
            req.AddI32(Rt.IFLA_NET_NS_FD, fd);
        }
        if (change.NamespacePid is { } pid)
        {
            req.AddI32(Rt.IFLA_NET_NS_PID, pid);
        }
        _connection.Execute(req, op);
    }
}
