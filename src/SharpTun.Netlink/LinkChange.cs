namespace SharpTun.Netlink;

/// <summary>
/// Changes to an existing link that travel together in one RTM_NEWLINK, as <c>ip link set</c> sends them:
/// the kernel applies all or none (<c>ip link set tap0 up mtu 99999</c> fails and leaves tap0 down).
/// Unset fields are left as they are.
/// </summary>
public sealed record LinkChange
{
    /// <summary>Administratively up (true) or down (false).</summary>
    public bool? Up { get; init; }
    /// <summary>Promiscuous mode on or off (IFF_PROMISC; the kernel counts users, as for <c>ip link set promisc on</c>).</summary>
    public bool? Promiscuous { get; init; }
    /// <summary>Receive all multicast on or off (IFF_ALLMULTI).</summary>
    public bool? AllMulticast { get; init; }
    /// <summary>ARP on (IFF_NOARP cleared) or off (IFF_NOARP set).</summary>
    public bool? Arp { get; init; }
    /// <summary>Multicast on or off (IFF_MULTICAST).</summary>
    public bool? Multicast { get; init; }
    /// <summary>New MTU (IFLA_MTU).</summary>
    public int? Mtu { get; init; }
    /// <summary>New link-layer address (IFLA_ADDRESS).</summary>
    public byte[]? Address { get; init; }
    /// <summary>New name (IFLA_IFNAME).</summary>
    public string? Name { get; init; }
    /// <summary>Transmit queue length (IFLA_TXQLEN).</summary>
    public int? TxQueueLength { get; init; }
    /// <summary>Master link name (IFLA_MASTER); empty string for <c>nomaster</c>.</summary>
    public string? Master { get; init; }
    /// <summary>File descriptor of the target network namespace (IFLA_NET_NS_FD).</summary>
    public int? NamespaceFd { get; init; }
    /// <summary>PID whose network namespace is the target (IFLA_NET_NS_PID).</summary>
    public int? NamespacePid { get; init; }

    /// <summary>The change in ip's words ("up mtu 1400"), for messages.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (Up is { } up) { parts.Add(up ? "up" : "down"); }
        if (Promiscuous is { } p) { parts.Add(p ? "promisc on" : "promisc off"); }
        if (AllMulticast is { } am) { parts.Add(am ? "allmulticast on" : "allmulticast off"); }
        if (Arp is { } arp) { parts.Add(arp ? "arp on" : "arp off"); }
        if (Multicast is { } mc) { parts.Add(mc ? "multicast on" : "multicast off"); }
        if (Mtu is { } mtu) { parts.Add($"mtu {mtu}"); }
        if (Address is { } a) { parts.Add($"address {LinkInfo.FormatAddress(a)}"); }
        if (Name is { } n) { parts.Add($"name {n}"); }
        if (TxQueueLength is { } q) { parts.Add($"txqueuelen {q}"); }
        if (Master is { } m) { parts.Add(m.Length == 0 ? "nomaster" : $"master {m}"); }
        if (NamespaceFd is not null || NamespacePid is not null) { parts.Add("netns"); }
        return string.Join(' ', parts);
    }
}
