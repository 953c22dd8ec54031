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
        // ifi_flags/ifi_change: only the flags named in the change mask are touched.
        uint flags = 0, mask = 0;
        void Flag(bool? on, uint bit)
        {
            if (on is { } v)
            {
                mask |= bit;
                flags |= v ? bit : 0;
            }
        }
        Flag(change.Up, Rt.IFF_UP);
        Flag(change.Promiscuous, Rt.IFF_PROMISC);
        Flag(change.AllMulticast, Rt.IFF_ALLMULTI);
        Flag(change.Arp is { } arp ? !arp : null, Rt.IFF_NOARP);
        Flag(change.Multicast, Rt.IFF_MULTICAST);
        var req = LinkRequest(Nl.RTM_NEWLINK, 0, index, flags, mask);
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
