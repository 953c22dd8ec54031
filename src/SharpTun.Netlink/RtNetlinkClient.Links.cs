namespace SharpTun.Netlink;

public sealed partial class RtNetlinkClient
{
    /// <summary>Sets a link administratively up. Equivalent to: <c>ip link set dev $name up</c>.</summary>
    public void LinkSetUp(string name) => SetFlags(name, up: true);

    /// <summary>Sets a link administratively down. Equivalent to: <c>ip link set dev $name down</c>.</summary>
    public void LinkSetDown(string name) => SetFlags(name, up: false);

    private void SetFlags(string name, bool up)
    {
        var op = $"cannot set link '{name}' {(up ? "up" : "down")}";
        var index = IndexOf(name, op);
        var req = LinkRequest(Nl.RTM_NEWLINK, 0, index, up ? Rt.IFF_UP : 0, Rt.IFF_UP);
        _connection.Execute(req, op);
    }

    // One RTM_NEWLINK on an existing link carrying a single 32-bit attribute: mtu, txqlen, master, netns.
    private void SetLinkI32(string name, ushort attribute, int value, string op)
    {
        var req = LinkRequest(Nl.RTM_NEWLINK, 0, IndexOf(name, op));
        req.AddI32(attribute, value);
        _connection.Execute(req, op);
    }

    /// <summary>Sets the MTU. Equivalent to: <c>ip link set dev $name mtu $mtu</c>.</summary>
    public void LinkSetMtu(string name, int mtu)
    {
        var op = $"cannot set mtu {mtu} on link '{name}'";
        SetLinkI32(name, Rt.IFLA_MTU, mtu, op);
    }

    /// <summary>Sets the link-layer (MAC) address. Equivalent to: <c>ip link set dev $name address $mac</c>.</summary>
    public void LinkSetAddress(string name, ReadOnlySpan<byte> address)
    {
        var op = $"cannot set address {LinkInfo.FormatAddress(address)} on link '{name}'";
        var req = LinkRequest(Nl.RTM_NEWLINK, 0, IndexOf(name, op));
        req.Add(Rt.IFLA_ADDRESS, address);
        _connection.Execute(req, op);
    }

    /// <summary>Renames a link (it must be down). Equivalent to: <c>ip link set dev $name name $newName</c>.</summary>
    public void LinkRename(string name, string newName)
    {
        InterfaceName.Validate(newName);
        var op = $"cannot rename link '{name}' to '{newName}'";
        var req = LinkRequest(Nl.RTM_NEWLINK, 0, IndexOf(name, op));
        req.AddString(Rt.IFLA_IFNAME, newName);
        _connection.Execute(req, op);
    }

    /// <summary>Sets the transmit queue length. Equivalent to: <c>ip link set dev $name txqueuelen $length</c>.</summary>
    public void LinkSetTxQueueLength(string name, int length)
    {
        var op = $"cannot set txqueuelen {length} on link '{name}'";
        SetLinkI32(name, Rt.IFLA_TXQLEN, length, op);
    }

    /// <summary>Makes a link a port of a bridge (or bond). Equivalent to: <c>ip link set dev $name master $master</c>.</summary>
    public void LinkSetMaster(string name, string master)
    {
        var op = $"cannot enslave link '{name}' to '{master}'";
        var masterIndex = IndexOf(master, op);
        SetLinkI32(name, Rt.IFLA_MASTER, masterIndex, op);
    }

    /// <summary>Releases a link from its master. Equivalent to: <c>ip link set dev $name nomaster</c>.</summary>
    public void LinkSetNoMaster(string name)
    {
        var op = $"cannot release link '{name}' from its master";
        SetLinkI32(name, Rt.IFLA_MASTER, 0, op);
    }

    /// <summary>
    /// Moves a link to the network namespace open as file descriptor <paramref name="namespaceFd"/>
    /// (an fd of /run/netns/NAME or /proc/PID/ns/net). Equivalent to: <c>ip link set dev $name netns $ns</c>.
    /// </summary>
    public void LinkSetNamespace(string name, int namespaceFd, string? namespaceName = null)
    {
        var op = $"cannot move link '{name}' to namespace {(namespaceName is null ? $"fd {namespaceFd}" : $"'{namespaceName}'")}";
        SetLinkI32(name, Rt.IFLA_NET_NS_FD, namespaceFd, op);
    }

    /// <summary>Moves a link to the network namespace of process <paramref name="pid"/>. Equivalent to: <c>ip link set dev $name netns $pid</c>.</summary>
    public void LinkSetNamespaceOfProcess(string name, int pid)
    {
        var op = $"cannot move link '{name}' to the namespace of process {pid}";
        SetLinkI32(name, Rt.IFLA_NET_NS_PID, pid, op);
    }

    /// <summary>Deletes a link (for a veth, both ends). Equivalent to: <c>ip link del dev $name</c>.</summary>
    public void LinkDelete(string name)
    {
        var op = $"cannot delete link '{name}'";
        var req = LinkRequest(Nl.RTM_DELLINK, 0, IndexOf(name, op));
        _connection.Execute(req, op);
    }

    /// <summary>
    /// Creates a veth pair. With <paramref name="peerNamespaceFd"/> the peer is created straight in that
    /// namespace (IFLA_NET_NS_FD inside VETH_INFO_PEER).
    /// Equivalent to: <c>ip link add $name type veth peer name $peer [netns $ns]</c>.
    /// </summary>
    public void AddVeth(string name, string peer, int? peerNamespaceFd = null, string? peerNamespaceName = null)
    {
        InterfaceName.Validate(name);
        InterfaceName.Validate(peer);
        var where = peerNamespaceFd is null ? "" : $" in namespace {(peerNamespaceName is null ? $"fd {peerNamespaceFd}" : $"'{peerNamespaceName}'")}";
        var op = $"cannot create veth pair '{name}' / '{peer}'{where}";
        var req = LinkRequest(Nl.RTM_NEWLINK, Nl.F_CREATE | Nl.F_EXCL, 0);
        req.AddString(Rt.IFLA_IFNAME, name);
        var info = req.BeginNested(Rt.IFLA_LINKINFO);
        req.AddStringUnterminated(Rt.IFLA_INFO_KIND, "veth");
        var data = req.BeginNested(Rt.IFLA_INFO_DATA);
        var peerAttr = req.BeginNested(Rt.VETH_INFO_PEER);
        WriteIfInfo(req.Reserve(Rt.IfInfoMsgSize), Nl.AF_UNSPEC, 0, 0, 0);
        req.AddString(Rt.IFLA_IFNAME, peer);
        if (peerNamespaceFd is { } fd)
        {
            req.AddI32(Rt.IFLA_NET_NS_FD, fd);
        }
        req.EndNested(peerAttr);
        req.EndNested(data);
        req.EndNested(info);
        _connection.Execute(req, op);
    }

    /// <summary>Creates a bridge. Equivalent to: <c>ip link add $name type bridge</c>.</summary>
    public void AddBridge(string name) => AddLink(name, "bridge");

    /// <summary>
    /// Creates a link of a kind that needs no parameters (bridge, dummy, ifb, …).
    /// Equivalent to: <c>ip link add $name type $kind</c>.
    /// </summary>
    public void AddLink(string name, string kind)
    {
        InterfaceName.Validate(name);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        var op = $"cannot create {kind} link '{name}'";
        var req = LinkRequest(Nl.RTM_NEWLINK, Nl.F_CREATE | Nl.F_EXCL, 0);
        req.AddString(Rt.IFLA_IFNAME, name);
        var info = req.BeginNested(Rt.IFLA_LINKINFO);
        req.AddStringUnterminated(Rt.IFLA_INFO_KIND, kind);
        req.EndNested(info);
        _connection.Execute(req, op);
    }
}
