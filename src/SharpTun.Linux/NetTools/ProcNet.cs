using SharpTun.Linux.Namespaces;

namespace SharpTun.Linux.NetTools;

/// <summary>Files of /proc/net as a network namespace sees them (read on a thread inside it: /proc/thread-self/net).</summary>
public static class ProcNet
{
    /// <summary>The text of each of <paramref name="files"/> (names under /proc/net: "snmp", "netstat", "snmp6", …) as network namespace <paramref name="netns"/> (null: the caller's) sees it; null for a file the kernel does not have.</summary>
    /// <exception cref="NetNamespaceException">The namespace cannot be entered.</exception>
    /// <exception cref="IOException">A file exists but cannot be read.</exception>
    public static IReadOnlyDictionary<string, string?> Read(string? netns, params string[] files)
    {
        Dictionary<string, string?> Load()
        {
            var texts = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var f in files)
            {
                try
                {
                    texts[f] = File.ReadAllText("/proc/thread-self/net/" + f);
                }
                catch (FileNotFoundException)
                {
                    texts[f] = null;
                }
            }
            return texts;
        }
        return netns is null ? Load() : NetNamespace.Run(netns, Load);
    }
}
