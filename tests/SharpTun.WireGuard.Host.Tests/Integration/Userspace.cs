using System.Globalization;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// Helpers for <c>sharptun wg userspace</c> (wireguard-go's contract): a private directory holding the one
/// executable wg-quick runs as $WG_QUICK_USERSPACE_IMPLEMENTATION, finding the detached daemon by its command
/// line, and a namespace's rules, routes and nftables as text (to compare before and after wg-quick).
/// </summary>
internal sealed class Userspace : IDisposable
{
    internal Userspace()
    {
        Dir = Directory.CreateTempSubdirectory("sharptun-userspace-").FullName;
        Run.Exec("chmod", ["700", Dir]).EnsureSuccess();
        // The shape of install.sh's PREFIX/bin/sharptun-wg-userspace, on the JIT build the tests use.
        Implementation = Path.Combine(Dir, "sharptun-wg-userspace");
        File.WriteAllText(Implementation, $"#!/bin/sh\nexec dotnet {Repo.CliDll} wg userspace \"$@\"\n");
        Run.Exec("chmod", ["755", Implementation]).EnsureSuccess();
    }

    /// <summary>A private (0700) directory for configs and keys, removed at dispose.</summary>
    internal string Dir { get; }

    /// <summary>The executable for WG_QUICK_USERSPACE_IMPLEMENTATION.</summary>
    internal string Implementation { get; }

    /// <summary>Writes <paramref name="text"/> to DIR/<paramref name="fileName"/> (mode 0600) and returns the path.</summary>
    internal string Write(string fileName, string text)
    {
        var path = Path.Combine(Dir, fileName);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    /// <summary>The PID of the process whose command line is <c>… wg userspace [-f] IFNAME</c>, or null.</summary>
    internal static int? FindDaemon(string ifname)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            string[] argv;
            try
            {
                argv = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            var i = Array.IndexOf(argv, "userspace");
            if (i > 0 && argv[i - 1] == "wg" && argv[^1] == ifname && argv[0] != "/bin/sh")
            {
                return pid;
            }
        }
        return null;
    }

    /// <summary>True while process <paramref name="pid"/> exists (and is not a zombie).</summary>
    internal static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The session id of process <paramref name="pid"/> (/proc/PID/stat field 6).</summary>
    internal static int SessionOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[3], CultureInfo.InvariantCulture);
    }

    /// <summary>Waits until <paramref name="dev"/> has its IPv6 link-local address (and its local route): the kernel adds it a moment after the link comes up.</summary>
    internal static void WaitLinkLocal(NetNs ns, string dev) =>
        Poll.Until(() =>
        {
            var text = ns.Exec("ip", ["-6", "addr", "show", "dev", dev, "scope", "link"]).StdOut;
            return text.Contains("fe80::", StringComparison.Ordinal) && !text.Contains("tentative", StringComparison.Ordinal)
                && ns.Exec("ip", ["-6", "route", "show", "table", "local"]).StdOut.Contains("local fe80::", StringComparison.Ordinal);
        }, $"{ns.Name}: the link-local address of {dev}", TimeSpan.FromSeconds(20));

    /// <summary>Rules, routes of every table (v4 and v6) and the nftables ruleset of <paramref name="ns"/>.</summary>
    internal static string NetworkState(NetNs ns) =>
        string.Join("\n---\n",
            ns.Exec("ip", ["-4", "rule", "show"]).EnsureSuccess().StdOut,
            ns.Exec("ip", ["-6", "rule", "show"]).EnsureSuccess().StdOut,
            ns.Exec("ip", ["-4", "route", "show", "table", "all"]).EnsureSuccess().StdOut,
            ns.Exec("ip", ["-6", "route", "show", "table", "all"]).EnsureSuccess().StdOut,
            ns.Exec("nft", ["list", "ruleset"]).EnsureSuccess().StdOut);

    /// <summary>Kills a daemon left running by a failed test (by PID) and removes its socket file.</summary>
    internal static void Reap(string ifname)
    {
        if (FindDaemon(ifname) is { } pid)
        {
            Run.Exec("kill", ["-KILL", pid.ToString(CultureInfo.InvariantCulture)]);
        }
        var sock = Uapi.SocketPath(ifname);
        if (File.Exists(sock) && !Uapi.Answers(ifname))
        {
            File.Delete(sock);
        }
    }

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
