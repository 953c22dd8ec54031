using System.Globalization;
using SharpTun.Netlink;

namespace SharpTun.Linux.Netlink;

/// <summary>
/// Finds which processes hold which sockets, as <c>ss -p</c> does: every /proc/PID/fd/N that links to
/// <c>socket:[INODE]</c>. Needs root to see other users' processes; unreadable ones are skipped.
/// </summary>
internal static class SocketOwners
{
    /// <summary>Inode → owners. Per inode, the order is ss's: the last found first.</summary>
    public static IReadOnlyDictionary<ulong, IReadOnlyList<SocketOwner>> Scan(string procRoot = "/proc")
    {
        var map = new Dictionary<ulong, List<SocketOwner>>();
        foreach (var dir in SafeEnumerate(procRoot))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            string? name = null;
            foreach (var fdPath in SafeEnumerate(Path.Combine(dir, "fd")).OrderBy(FdNumber))
            {
                string? target;
                try
                {
                    target = new FileInfo(fdPath).LinkTarget;
                }
                catch (IOException)
                {
                    continue;
                }
                catch (UnauthorizedAccessException)
                {
                    continue;
                }
                if (target is null || !target.StartsWith("socket:[", StringComparison.Ordinal) ||
                    !ulong.TryParse(target.AsSpan(8, target.Length - 9), NumberStyles.None, CultureInfo.InvariantCulture, out var inode))
                {
                    continue;
                }
                name ??= Comm(dir);
                if (!map.TryGetValue(inode, out var list))
                {
                    map[inode] = list = [];
                }
                list.Insert(0, new SocketOwner(pid, name, FdNumber(fdPath)));
            }
        }
        return map.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<SocketOwner>)kv.Value);
    }

    private static int FdNumber(string path) =>
        int.TryParse(Path.GetFileName(path), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;

    private static string Comm(string dir)
    {
        try
        {
            return File.ReadAllText(Path.Combine(dir, "comm")).TrimEnd('\n');
        }
        catch (IOException)
        {
            return "?";
        }
        catch (UnauthorizedAccessException)
        {
            return "?";
        }
    }

    private static IEnumerable<string> SafeEnumerate(string dir)
    {
        try
        {
            return Directory.GetFileSystemEntries(dir);
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }
}
