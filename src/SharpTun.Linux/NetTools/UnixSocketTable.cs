using System.Globalization;
using SharpTun.Linux.Namespaces;

namespace SharpTun.Linux.NetTools;

/// <summary>One line of /proc/net/unix: what <c>netstat -x</c> prints.</summary>
/// <param name="RefCount">The socket's reference count (not in sock_diag).</param>
/// <param name="Flags">__SO_ACCEPTCON (1 &lt;&lt; 16) for a listening socket.</param>
/// <param name="Type">SOCK_STREAM 1, SOCK_DGRAM 2, SOCK_SEQPACKET 5.</param>
/// <param name="State">The socket layer's SS_* state: 1 unconnected, 2 connecting, 3 connected, 4 disconnecting (not sock_diag's TCP_* state).</param>
/// <param name="Inode">Socket inode.</param>
/// <param name="Path">Bound path ('@' first for an abstract name), empty when unnamed.</param>
public sealed record UnixSocketEntry(ulong RefCount, ulong Flags, int Type, int State, ulong Inode, string Path);

/// <summary>
/// The UNIX sockets of a network namespace from /proc/net/unix. net-tools reads this file; sock_diag has no
/// reference count and reports TCP_* states instead of the SS_* states and flags that netstat shows, so this
/// one table comes from /proc (read on a thread inside the namespace: /proc/thread-self/net is that thread's).
/// </summary>
public static class UnixSocketTable
{
    /// <summary>The UNIX sockets of network namespace <paramref name="netns"/> (null: the caller's), in the file's order.</summary>
    /// <exception cref="NetNamespaceException">The namespace cannot be entered.</exception>
    /// <exception cref="IOException">/proc/net/unix cannot be read.</exception>
    public static IReadOnlyList<UnixSocketEntry> Read(string? netns)
    {
        static string Load() => File.ReadAllText("/proc/thread-self/net/unix");
        return Parse(netns is null ? Load() : NetNamespace.Run(netns, Load));
    }

    /// <summary>Parses the file's text: "Num RefCount Protocol Flags Type St Inode Path" and one line per socket, hex but the inode.</summary>
    internal static IReadOnlyList<UnixSocketEntry> Parse(string text)
    {
        var result = new List<UnixSocketEntry>();
        foreach (var line in text.Split('\n').Skip(1))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 7 || !f[0].EndsWith(':'))
            {
                continue;
            }
            result.Add(new UnixSocketEntry(
                ulong.Parse(f[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                ulong.Parse(f[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                int.Parse(f[4], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                int.Parse(f[5], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                ulong.Parse(f[6], NumberStyles.None, CultureInfo.InvariantCulture),
                f.Length > 7 ? f[7] : ""));
        }
        return result;
    }
}
