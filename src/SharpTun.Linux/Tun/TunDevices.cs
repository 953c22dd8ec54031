using System.Globalization;

namespace SharpTun.Linux.Tun;

/// <summary>
/// Lists the tun/tap devices of the current network namespace from sysfs, as <c>ip tuntap show</c>
/// does: a device is a tun/tap device when <c>/sys/class/net/NAME/tun_flags</c> exists; <c>owner</c>
/// and <c>group</c> hold -1 when unset; the processes holding it are found by scanning
/// <c>/proc/PID/fdinfo/*</c> for the tun driver's <c>iff:\tNAME</c> line.
/// </summary>
public static class TunDevices
{
    /// <summary>All tun/tap devices, sorted by name.</summary>
    public static IReadOnlyList<TunDeviceInfo> List(bool includeProcesses = true)
    {
        var result = new List<TunDeviceInfo>();
        if (!Directory.Exists(TunDevice.SysClassNet))
        {
            return result;
        }
        var holders = includeProcesses ? FindHolders() : new Dictionary<string, List<TunProcess>>();
        foreach (var dir in Directory.EnumerateDirectories(TunDevice.SysClassNet).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(dir);
            var info = Get(name, holders);
            if (info is not null)
            {
                result.Add(info);
            }
        }
        return result;
    }

    /// <summary>One device, or null if it does not exist or is not a tun/tap device.</summary>
    public static TunDeviceInfo? Get(string name) => Get(name, FindHolders());

    private static TunDeviceInfo? Get(string name, Dictionary<string, List<TunProcess>> holders)
    {
        var flags = ReadFlags(name);
        if (flags is null)
        {
            return null;
        }
        var mode = (flags.Value & TunFlags.Tap) != 0 ? TunMode.Tap : TunMode.Tun;
        var procs = holders.TryGetValue(name, out var list) ? (IReadOnlyList<TunProcess>)list : [];
        return new TunDeviceInfo(name, mode, flags.Value, ReadId(name, "owner"), ReadId(name, "group"), procs);
    }

    /// <summary>The <c>tun_flags</c> of a device, or null when it is missing or not a tun/tap device.</summary>
    internal static TunFlags? ReadFlags(string name)
    {
        var text = ReadSys(name, "tun_flags");
        if (text is null)
        {
            return null;
        }
        text = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        return ushort.TryParse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var v) ? (TunFlags)v : null;
    }

    /// <summary>The owner or group id from sysfs, null when unset (-1) or unreadable.</summary>
    internal static int? ReadId(string name, string file)
    {
        var text = ReadSys(name, file);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : null;
    }

    private static string? ReadSys(string name, string file)
    {
        try
        {
            return File.ReadAllText(Path.Combine(TunDevice.SysClassNet, name, file)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
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

    private static string? ReadIff(string fdinfo)
    {
        foreach (var line in File.ReadLines(fdinfo))
        {
            if (line.StartsWith("iff:", StringComparison.Ordinal))
            {
                return line[4..].Trim();
            }
        }
        return null;
    }
}
