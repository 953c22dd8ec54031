namespace SharpTun.WireGuard.Host;

/// <summary>
/// Whether an output stream is connected to the systemd journal: systemd sets JOURNAL_STREAM=DEVICE:INODE
/// for the stream it connected stdout/stderr to (systemd.exec(5)); the fd's link in /proc names the
/// same socket inode ("socket:[INODE]"). A child that inherited the variable but writes elsewhere does not match.
/// </summary>
public static class Journal
{
    /// <summary>True when file descriptor <paramref name="fd"/> (1 = stdout, 2 = stderr) is the journal's stream.</summary>
    public static bool IsConnected(int fd, string? journalStream = null, string procFd = "/proc/self/fd")
    {
        journalStream ??= Environment.GetEnvironmentVariable("JOURNAL_STREAM");
        var colon = journalStream?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon < 0)
        {
            return false;
        }
        var inode = journalStream![(colon + 1)..];
        try
        {
            var target = File.ResolveLinkTarget(Path.Combine(procFd, fd.ToString(System.Globalization.CultureInfo.InvariantCulture)), returnFinalTarget: false);
            return target is not null && target.FullName.EndsWith($"socket:[{inode}]", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
