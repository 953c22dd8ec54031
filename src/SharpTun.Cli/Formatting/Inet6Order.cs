using System.Globalization;
using System.Net;
using SharpTun.Linux.Namespaces;

namespace SharpTun.Cli.Formatting;

/// <summary>
/// The order in which net-tools' ifconfig prints a device's IPv6 addresses: that of /proc/net/if_inet6 (the
/// kernel's address hash, seeded per namespace), which rtnetlink's dump does not follow. Only the order is
/// taken from there; the addresses themselves come from rtnetlink. Only ifconfig's printing needs it: it lives here.
/// </summary>
internal static class Inet6Order
{
    /// <summary>(ifindex, address) → position in the namespace's /proc/net/if_inet6; empty when it cannot be read.</summary>
    internal static IReadOnlyDictionary<(int Index, IPAddress Address), int> Read(string? netns)
    {
        static string Load()
        {
            try
            {
                return File.ReadAllText("/proc/thread-self/net/if_inet6");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return "";
            }
        }
        return Parse(netns is null ? Load() : NetNamespace.Run(netns, Load));
    }

    /// <summary>Lines "ADDRESS(32 hex) IFINDEX PLEN SCOPE FLAGS NAME", all hex but the name.</summary>
    internal static IReadOnlyDictionary<(int Index, IPAddress Address), int> Parse(string text)
    {
        var order = new Dictionary<(int, IPAddress), int>();
        foreach (var line in text.Split('\n'))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 6 || f[0].Length != 32)
            {
                continue;
            }
            var address = new IPAddress(Convert.FromHexString(f[0]));
            order.TryAdd((int.Parse(f[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture), address), order.Count);
        }
        return order;
    }
}
