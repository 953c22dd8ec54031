using System.Globalization;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// <c>/run/sharptun/NAME.pid</c>: the process serving interface NAME, written once the interface is up
/// and removed when it goes down; what <c>sharptun wg down NAME</c> signals.
/// </summary>
public static class PidFile
{
    /// <summary>The directory.</summary>
    public const string Directory = "/run/sharptun";

    /// <summary>The pid file of an interface.</summary>
    public static string PathFor(string interfaceName, string directory = Directory) => Path.Combine(directory, interfaceName + ".pid");

    /// <summary>Writes this process' pid (directory created 0755).</summary>
    public static void Write(string interfaceName, string directory = Directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        var path = PathFor(interfaceName, directory);
        File.WriteAllText(path + ".tmp", Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>The pid recorded for the interface, or null when there is no (readable) pid file.</summary>
    public static int? Read(string interfaceName, string directory = Directory)
    {
        var path = PathFor(interfaceName, directory);
        try
        {
            return int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Removes the pid file if it still names this process (or <paramref name="pid"/>).</summary>
    public static void Remove(string interfaceName, int? pid = null, string directory = Directory)
    {
        if (Read(interfaceName, directory) is { } recorded && recorded == (pid ?? Environment.ProcessId))
        {
            try
            {
                File.Delete(PathFor(interfaceName, directory));
            }
            catch (UnauthorizedAccessException) when (pid is null)
            {
                // Dropped privileges (wg up --user): 'sharptun wg down' removes it after this process exits.
            }
        }
    }

    /// <summary>True while <paramref name="pid"/> is a live process that is a sharptun (its command line names it).</summary>
    public static bool IsSharptun(int pid)
    {
        try
        {
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline");
            return cmdline.Contains("sharptun", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
