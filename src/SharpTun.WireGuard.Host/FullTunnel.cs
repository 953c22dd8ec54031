using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SharpTun.Netlink;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// A default route through the tunnel as wg-quick's <c>add_default</c> makes it (Table = auto and 0.0.0.0/0
/// or ::/0 in AllowedIPs), per family:
/// <code>
/// ip -4 route add 0.0.0.0/0 dev IF table T             # T = the fwmark, else 51820 or the next table with no route
/// ip -4 rule add not fwmark T table T                   # everything but the tunnel's own (marked) UDP: table T
/// ip -4 rule add table main suppress_prefixlength 0     # main's specific routes still win over the /0
/// sysctl -q net.ipv4.conf.all.src_valid_mark=1          # (IPv4 only) rp_filter honours the mark
/// nft -f -   table ip[6] wg-quick-IF: preraw drops packets for IF's addresses arriving elsewhere (unless from
///            a local address); postmangle/premangle save the mark into conntrack and restore it on replies
/// </code>
/// The interface's UDP socket carries the mark (SO_MARK), so its packets skip table T. Every step is first
/// written to a <see cref="FullTunnelRecord"/> so that <see cref="Remove"/>, or <see cref="RemoveStale"/> after a
/// kill -9, takes away exactly what was installed; the route goes with the device.
/// </summary>
internal sealed class FullTunnel
{
    /// <summary>wg-quick's first choice of table and fwmark (0xca6c).</summary>
    public const uint FirstTable = 51820;

    private const string SrcValidMark = "net.ipv4.conf.all.src_valid_mark";

    private readonly RtNetlinkClient _netlink;
    private readonly string _interface;
    private readonly string _recordPath;
    private readonly string _directory;
    private readonly FullTunnelRecord _record;

    private FullTunnel(RtNetlinkClient netlink, string interfaceName, string directory, FullTunnelRecord record)
    {
        _netlink = netlink;
        _interface = interfaceName;
        _directory = directory;
        _recordPath = FullTunnelRecord.PathFor(interfaceName, directory);
        _record = record;
    }

    /// <summary>The table and fwmark in use.</summary>
    public uint Table => _record.Table;

    /// <summary>
    /// wg-quick's choice: the configured fwmark when set, else 51820 or the first table after it that has no
    /// IPv4 or IPv6 route.
    /// </summary>
    public static uint PickTable(RtNetlinkClient netlink, uint fwmark)
    {
        ArgumentNullException.ThrowIfNull(netlink);
        if (fwmark != 0)
        {
            return fwmark;
        }
        var used = netlink.GetRoutes().Select(r => r.Table).ToHashSet();
        var table = FirstTable;
        while (used.Contains(table))
        {
            table++;
        }
        return table;
    }

    /// <summary>Starts the record for <paramref name="interfaceName"/> (in <paramref name="directory"/>); nothing is installed yet.</summary>
    public static FullTunnel Begin(RtNetlinkClient netlink, string interfaceName, uint table, string directory)
    {
        var record = new FullTunnelRecord { Pid = Environment.ProcessId, NetNs = CurrentNetNs(), Table = table };
        var t = new FullTunnel(netlink, interfaceName, directory, record);
        record.Save(t._recordPath);
        return t;
    }

    /// <summary>Installs the default route <paramref name="prefix"/> (0.0.0.0/0 or ::/0) with its rules and firewall.</summary>
    public void AddDefault(IPNetwork prefix)
    {
        var v6 = prefix.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6;
        var family = v6 ? "ipv6" : "ipv4";
        var table = _record.Table;
        // Checked before anything is installed: without nft the rules would blackhole the replies.
        var nft = NftTool.Path ?? throw new IOException(
            $"interface '{_interface}': AllowedIPs {prefix} (a default route through the tunnel) needs nftables rules so that reverse-path " +
            "filtering does not drop the tunnel's replies, and 'nft' is not installed (install the nftables package, or use 'Table = off' and route it yourself)");
        _netlink.RouteAdd(new RouteSpec { Destination = new IpPrefix(prefix.BaseAddress, 0), Device = _interface, Table = table, IPv6 = v6 });
        AddRule(family, "fwmark", new RuleSpec { IPv6 = v6, Invert = true, FwMark = table, Table = table });
        AddRule(family, "suppress", new RuleSpec { IPv6 = v6, Table = 254, SuppressPrefixLength = 0 });
        if (!v6)
        {
            SetSysctl(SrcValidMark, "1");
        }
        var pf = v6 ? "ip6" : "ip";
        var addresses = _netlink.GetAddresses(_interface, v6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork)
            .Select(a => a.Local.Equals(IPAddress.None) ? a.Address! : a.Local).ToList();
        _record.NftTables.Add((pf, TableName(_interface)));
        _record.Save(_recordPath);
        NftTool.Run(nft, NftScript(pf, _interface, addresses, table), $"interface '{_interface}': cannot add the nftables table {pf} {TableName(_interface)}");
    }

    /// <summary>
    /// The nftables commands wg-quick feeds to <c>nft -f</c> for one family (<paramref name="pf"/> "ip" or "ip6"),
    /// line for line.
    /// </summary>
    public static string NftScript(string pf, string interfaceName, IEnumerable<IPAddress> addresses, uint mark)
    {
        var t = TableName(interfaceName);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"add table {pf} {t}\n");
        sb.Append(CultureInfo.InvariantCulture, $"add chain {pf} {t} preraw {{ type filter hook prerouting priority -300; }}\n");
        sb.Append(CultureInfo.InvariantCulture, $"add chain {pf} {t} premangle {{ type filter hook prerouting priority -150; }}\n");
        sb.Append(CultureInfo.InvariantCulture, $"add chain {pf} {t} postmangle {{ type filter hook postrouting priority -150; }}\n");
        foreach (var a in addresses)
        {
            sb.Append(CultureInfo.InvariantCulture, $"add rule {pf} {t} preraw iifname != \"{interfaceName}\" {pf} daddr {a} fib saddr type != local drop\n");
        }
        sb.Append(CultureInfo.InvariantCulture, $"add rule {pf} {t} postmangle meta l4proto udp mark {mark} ct mark set mark \n");
        sb.Append(CultureInfo.InvariantCulture, $"add rule {pf} {t} premangle meta l4proto udp meta mark set ct mark \n");
        return sb.ToString();
    }

    /// <summary>wg-quick's nftables table name for an interface.</summary>
    public static string TableName(string interfaceName) => "wg-quick-" + interfaceName;

    /// <summary>
    /// Removes everything the record lists (errors are collected: the rest is still removed) and, when all
    /// went, the record. Throws an <see cref="IOException"/> naming what could not be removed.
    /// </summary>
    public void Remove()
    {
        // The file is what counts: another full tunnel's down may have handed this one a sysctl to restore.
        FullTunnelRecord? onDisk = null;
        try
        {
            onDisk = FullTunnelRecord.Load(_recordPath);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            // Unreadable: what this process knows it installed is still right.
        }
        Undo(_netlink, onDisk ?? _record, _recordPath, _directory, _interface);
    }

    /// <summary>
    /// What a daemon killed with -9 left: when <paramref name="directory"/> holds a record for the interface whose
    /// process is gone, removes what it lists and the record. True when there was one.
    /// </summary>
    public static bool RemoveStale(RtNetlinkClient netlink, string interfaceName, string directory)
    {
        ArgumentNullException.ThrowIfNull(netlink);
        var path = FullTunnelRecord.PathFor(interfaceName, directory);
        var record = FullTunnelRecord.Load(path);
        if (record is null)
        {
            return false;
        }
        if (IsLive(record.Pid) && record.Pid != Environment.ProcessId)
        {
            throw new IOException($"interface '{interfaceName}': process {record.Pid} still runs its full tunnel ({path}); stop it with 'sharptun wg down {interfaceName}'");
        }
        Undo(netlink, record, path, directory, interfaceName);
        return true;
    }

    private static void Undo(RtNetlinkClient netlink, FullTunnelRecord record, string path, string directory, string interfaceName)
    {
        var here = CurrentNetNs();
        if (record.NetNs != here)
        {
            throw new IOException($"interface '{interfaceName}': its full-tunnel rules were installed in network namespace {record.NetNs}, this process is in {here}; " +
                $"run 'sharptun wg down {interfaceName}' in that namespace (record {path})");
        }
        var errors = new List<string>();
        foreach (var (pf, name) in Enumerable.Reverse(record.NftTables).ToList())
        {
            try
            {
                if (NftTool.Path is { } nft && NftTool.HasTable(nft, pf, name))
                {
                    NftTool.Run(nft, $"delete table {pf} {name}\n", $"cannot delete the nftables table {pf} {name}");
                }
                record.NftTables.Remove((pf, name));
            }
            catch (IOException e)
            {
                errors.Add(e.Message);
            }
        }
        foreach (var (family, kind) in Enumerable.Reverse(record.Rules).ToList())
        {
            var v6 = family == "ipv6";
            var rule = kind == "fwmark"
                ? new RuleSpec { IPv6 = v6, Invert = true, FwMark = record.Table, Table = record.Table }
                : new RuleSpec { IPv6 = v6, Table = 254, SuppressPrefixLength = 0 };
            try
            {
                netlink.RuleDelete(rule);
                record.Rules.Remove((family, kind));
            }
            catch (NetlinkException e) when (e.Errno == Errno.ENOENT)
            {
                record.Rules.Remove((family, kind));
            }
            catch (NetlinkException e)
            {
                errors.Add(e.Message);
            }
        }
        foreach (var (key, before) in record.Sysctls.ToList())
        {
            try
            {
                RestoreSysctl(record, key, before, path, directory);
                record.Sysctls.Remove((key, before));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.Add($"cannot set {key} back to {before}: {(e is UnauthorizedAccessException ? "permission denied" : e.Message)}");
            }
        }
        if (errors.Count > 0)
        {
            try
            {
                record.Save(path);
            }
            catch (UnauthorizedAccessException)
            {
                // Privileges dropped (wg up --user): the record as it was still lists everything; removing twice is harmless.
            }
            throw new IOException($"interface '{interfaceName}': could not remove all of its full-tunnel setup ({string.Join("; ", errors)}); " +
                $"'sharptun wg down {interfaceName}' as root removes the rest ({path})");
        }
        File.Delete(path);
    }

    private void AddRule(string family, string kind, RuleSpec rule)
    {
        _record.Rules.Add((family, kind));
        _record.Save(_recordPath);
        try
        {
            _netlink.RuleAdd(rule);
        }
        catch (NetlinkException)
        {
            // Not added: the record must not make down delete somebody else's rule.
            _record.Rules.Remove((family, kind));
            _record.Save(_recordPath);
            throw;
        }
    }

    private void SetSysctl(string key, string value)
    {
        var file = SysctlPath(key);
        var before = File.ReadAllText(file).Trim();
        if (before == value)
        {
            return;
        }
        _record.Sysctls.Add((key, before));
        _record.Save(_recordPath);
        File.WriteAllText(file, value);
    }

    /// <summary>
    /// Puts a sysctl back, unless another live full tunnel in this namespace still needs it: then that one's
    /// record takes over the value to restore (the last one down restores it).
    /// </summary>
    private static void RestoreSysctl(FullTunnelRecord record, string key, string before, string ownPath, string directory)
    {
        if (Directory.Exists(directory))
        {
            foreach (var other in Directory.EnumerateFiles(directory, "*.fulltunnel"))
            {
                if (other == ownPath || FullTunnelRecord.Load(other) is not { } o || o.NetNs != record.NetNs || !IsLive(o.Pid))
                {
                    continue;
                }
                if (!o.Sysctls.Any(s => s.Key == key))
                {
                    o.Sysctls.Add((key, before));
                    o.Save(other);
                }
                return;
            }
        }
        File.WriteAllText(SysctlPath(key), before);
    }

    private static string SysctlPath(string key) => "/proc/sys/" + key.Replace('.', '/');

    /// <summary>This process' network namespace, as <c>readlink /proc/self/ns/net</c> prints it.</summary>
    internal static string CurrentNetNs() => new FileInfo("/proc/self/ns/net").LinkTarget ?? "unknown";

    private static bool IsLive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return !stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z') && PidFile.IsSharptun(pid);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
