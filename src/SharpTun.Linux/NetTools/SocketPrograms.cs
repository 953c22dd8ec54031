using System.Globalization;
using System.Text;

namespace SharpTun.Linux.NetTools;

/// <summary>
/// The "PID/Program name" column of net-tools' <c>netstat -p</c>: every /proc/PID/fd/N that links to
/// <c>socket:[INODE]</c>, the program being argv[0] from /proc/PID/cmdline (its base name when it is an
/// absolute path, bytes outside printable ASCII as '.'), the text cut to 19 characters. Processes are
/// visited in ascending pid, fds in ascending number, and the first holder of an inode wins, as netstat's
/// readdir walk does. Sockets are global objects: this scan covers every namespace.
/// </summary>
public static class SocketPrograms
{
    /// <summary>netstat's PROGNAME_WIDTH (20) including the terminating NUL.</summary>
    private const int Width = 19;

    /// <summary>Socket inode → "PID/program" for every socket an open fd of a visible process refers to.</summary>
    /// <param name="procRoot">The proc file system to walk ("/proc"; a test's tree). Processes and fds that vanish or cannot be read are skipped (without root, only the caller's own).</param>
    public static IReadOnlyDictionary<ulong, string> Scan(string procRoot = "/proc")
    {
        var map = new Dictionary<ulong, string>();
        var pids = Entries(procRoot)
            .Select(d => (Dir: d, Pid: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : -1))
            .Where(x => x.Pid > 0).OrderBy(x => x.Pid);
        foreach (var (dir, pid) in pids)
        {
            string? program = null;
            var fds = Entries(Path.Combine(dir, "fd"))
                .Select(f => (Path: f, Fd: int.TryParse(Path.GetFileName(f), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1))
                .Where(x => x.Fd >= 0).OrderBy(x => x.Fd);
            foreach (var (fdPath, _) in fds)
            {
                if (SocketInode(LinkTarget(fdPath)) is not { } inode || map.ContainsKey(inode))
                {
                    continue;
                }
                program ??= Program(dir);
                if (program is null)
                {
                    break;
                }
                var text = pid.ToString(CultureInfo.InvariantCulture) + "/" + program;
                map[inode] = text.Length > Width ? text[..Width] : text;
            }
        }
        return map;
    }

    /// <summary>"socket:[123]" → 123; "[0000]:123" (old kernels) → 123.</summary>
    internal static ulong? SocketInode(string? target)
    {
        if (target is null)
        {
            return null;
        }
        var digits = target.StartsWith("socket:[", StringComparison.Ordinal) && target.EndsWith(']') ? target.AsSpan(8, target.Length - 9)
            : target.StartsWith("[0000]:", StringComparison.Ordinal) ? target.AsSpan(7)
            : [];
        return ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var inode) ? inode : null;
    }

    /// <summary>argv[0] as netstat shows it: the first 511 bytes of cmdline up to the first NUL.</summary>
    internal static string ProgramName(ReadOnlySpan<byte> cmdline)
    {
        if (cmdline.Length > 511)
        {
            cmdline = cmdline[..511];
        }
        var end = cmdline.IndexOf((byte)0);
        var arg0 = end < 0 ? cmdline : cmdline[..end];
        var sb = new StringBuilder(arg0.Length);
        foreach (var b in arg0)
        {
            sb.Append(b is < (byte)' ' or > (byte)'~' ? '.' : (char)b);
        }
        var s = sb.ToString();
        return s.StartsWith('/') ? s[(s.LastIndexOf('/') + 1)..] : s;
    }

    private static string? Program(string dir)
    {
        try
        {
            return ProgramName(File.ReadAllBytes(Path.Combine(dir, "cmdline")));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static IEnumerable<string> Entries(string dir)
    {
        try
        {
            return Directory.GetFileSystemEntries(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
