using SharpTun.Linux.Netlink;
using SharpTun.Netlink;

namespace SharpTun.Linux.Tun;

/// <summary>
/// Lists the tun/tap devices of the calling thread's network namespace, as <c>ip tuntap show</c>
/// does: over rtnetlink, a link of kind "tun" with the driver's IFLA_INFO_DATA (mode, pi,
/// vnet_hdr, multi_queue, persist, owner, group). Netlink is used rather than /sys/class/net because
/// sysfs shows the namespace it was mounted in, not the caller's. The processes holding a device
/// are found by scanning <c>/proc/PID/fdinfo/*</c> for the tun driver's <c>iff:\tNAME</c> line.
/// </summary>
public static class TunDevices
{
    /// <summary>All tun/tap devices, sorted by name.</summary>
    public static IReadOnlyList<TunDeviceInfo> List(bool includeProcesses = true)
    {
        IReadOnlyList<LinkInfo> links;
        using (var rt = RtNetlink.Open())
        {
            links = rt.GetLinks();
        }
        var holders = includeProcesses ? FindHolders() : new Dictionary<string, List<TunProcess>>();
        return [.. links.Where(l => l.Tun is not null).OrderBy(l => l.Name, StringComparer.Ordinal).Select(l => ToInfo(l, holders))];
    }

    /// <summary>One device, or null if it does not exist or is not a tun/tap device.</summary>
    public static TunDeviceInfo? Get(string name)
    {
        var link = Find(name);
        return link?.Tun is null ? null : ToInfo(link, FindHolders());
    }

    /// <summary>The link named <paramref name="name"/> in the caller's namespace, or null.</summary>
    internal static LinkInfo? Find(string name)
    {
        using var rt = RtNetlink.Open();
        return rt.FindLink(name);
    }

    /// <summary>The kernel's tun flags of a device from its netlink description (IFF_PERSIST included).</summary>
    internal static TunFlags ToFlags(TunLinkData d)
    {
        var flags = d.Type == 2 ? TunFlags.Tap : TunFlags.Tun;
        if (!d.PacketInfo)
        {
            flags |= TunFlags.NoPi;
        }
        if (d.VnetHdr)
        {
            flags |= TunFlags.VnetHdr;
        }
        if (d.MultiQueue)
        {
            flags |= TunFlags.MultiQueue;
        }
        if (d.Persist)
        {
            flags |= TunFlags.Persist;
        }
        return flags;
    }

    private static TunDeviceInfo ToInfo(LinkInfo link, Dictionary<string, List<TunProcess>> holders)
    {
        var d = link.Tun!;
        var flags = ToFlags(d);
        var procs = holders.TryGetValue(link.Name, out var list) ? (IReadOnlyList<TunProcess>)list : [];
        return new TunDeviceInfo(link.Name, (flags & TunFlags.Tap) != 0 ? TunMode.Tap : TunMode.Tun, flags,
            d.Owner is { } o && o != uint.MaxValue ? (int)o : null,
            d.Group is { } g && g != uint.MaxValue ? (int)g : null, procs);
    }

    private static Dictionary<string, List<TunProcess>> FindHolders()
    {
        var holders = new Dictionary<string, List<TunProcess>>(StringComparer.Ordinal);
        IEnumerable<string> pids;
        try
        {
            pids = Directory.EnumerateDirectories("/proc");
        }
        catch (IOException)
        {
            return holders;
        }
        foreach (var procDir in pids)
        {
            if (!int.TryParse(Path.GetFileName(procDir), out var pid))
            {
                continue;
            }
            try
            {
                string? comm = null;
                foreach (var fdinfo in Directory.EnumerateFiles(Path.Combine(procDir, "fdinfo")))
                {
                    var iff = ReadIff(fdinfo);
                    if (iff is null)
                    {
                        continue;
                    }
                    comm ??= File.ReadAllText(Path.Combine(procDir, "comm")).Trim();
                    if (!holders.TryGetValue(iff, out var list))
                    {
                        holders[iff] = list = [];
                    }
                    if (!list.Exists(p => p.Pid == pid))
                    {
                        list.Add(new TunProcess(pid, comm));
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process exited or hides its fds; skip it, as ip tuntap does.
            }
        }
        return holders;
    }

    // An fd closed while the directory is scanned is skipped alone, not the whole process.
    private static string? ReadIff(string fdinfo)
    {
        try
        {
            foreach (var line in File.ReadLines(fdinfo))
            {
                if (line.StartsWith("iff:", StringComparison.Ordinal))
                {
                    return line[4..].Trim();
                }
            }
        }
        catch (FileNotFoundException)
        {
        }
        return null;
    }
}
