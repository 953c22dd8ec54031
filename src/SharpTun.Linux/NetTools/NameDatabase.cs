using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SharpTun.Linux.NetTools;

/// <summary>
/// The name lookups net-tools makes without <c>-n</c>, from the local files only (deterministic, no DNS):
/// service names from /etc/services (raw sockets: protocol names from /etc/protocols) (the last entry for a port wins, as netstat's list is built by
/// prepending), host names from /etc/hosts (the first line naming the address, its canonical name),
/// network names from /etc/networks, user names from /etc/passwd. An unknown value stays numeric.
/// Each file is read once, on the first lookup that needs it; an instance is not thread-safe.
/// </summary>
/// <param name="root">The directory the etc/ files are read under (a test's tree); "/" by default. A missing or unreadable file names nothing.</param>
public sealed class NameDatabase(string root = "/")
{
    private Dictionary<(int Port, string Protocol), string>? _services;
    private Dictionary<IPAddress, string>? _hosts;
    private Dictionary<uint, string>? _networks;
    private Dictionary<uint, string>? _users;

    /// <summary>The /etc/services name of <paramref name="port"/> for <paramref name="protocol"/> "tcp" or "udp" ("raw": the /etc/protocols name of IP protocol <paramref name="port"/>), or the number.</summary>
    public string Service(int port, string protocol)
    {
        _services ??= LoadServices();
        return _services.TryGetValue((port, protocol), out var name) ? name : port.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The /etc/hosts name of an address (that of the first line naming it), or null.</summary>
    public string? Host(IPAddress address)
    {
        _hosts ??= LoadHosts();
        return _hosts.GetValueOrDefault(address);
    }

    /// <summary>The /etc/networks name of an IPv4 network address, or null (always null for IPv6).</summary>
    public string? Network(IPAddress address)
    {
        _networks ??= LoadNetworks();
        return address.AddressFamily == AddressFamily.InterNetwork ? _networks.GetValueOrDefault(ToUInt(address)) : null;
    }

    /// <summary>The /etc/passwd name of a uid, or the number.</summary>
    public string User(uint uid)
    {
        _users ??= LoadUsers();
        return _users.TryGetValue(uid, out var name) ? name : uid.ToString(CultureInfo.InvariantCulture);
    }

    private static uint ToUInt(IPAddress a)
    {
        Span<byte> b = stackalloc byte[4];
        a.TryWriteBytes(b, out _);
        return (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
    }

    private IEnumerable<string[]> Lines(string file)
    {
        var path = Path.Combine(root, file);
        IEnumerable<string> lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }
        foreach (var line in lines)
        {
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            var f = (hash < 0 ? line : line[..hash]).Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length > 0)
            {
                yield return f;
            }
        }
    }

    private Dictionary<(int, string), string> LoadServices()
    {
        var map = new Dictionary<(int, string), string>();
        foreach (var f in Lines("etc/services"))
        {
            var slash = f.Length > 1 ? f[1].IndexOf('/', StringComparison.Ordinal) : -1;
            if (slash > 0 && int.TryParse(f[1].AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
            {
                map[(port, f[1][(slash + 1)..])] = f[0];
            }
        }
        // netstat names a raw socket's "port" (its IP protocol) from /etc/protocols too, ahead of services.
        foreach (var f in Lines("etc/protocols"))
        {
            if (f.Length > 1 && int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                map[(number, "raw")] = f[0];
            }
        }
        return map;
    }

    private Dictionary<IPAddress, string> LoadHosts()
    {
        var map = new Dictionary<IPAddress, string>();
        foreach (var f in Lines("etc/hosts"))
        {
            if (f.Length > 1 && IPAddress.TryParse(f[0], out var a))
            {
                map.TryAdd(a, f[1]);
            }
        }
        return map;
    }

    private Dictionary<uint, string> LoadNetworks()
    {
        var map = new Dictionary<uint, string>();
        foreach (var f in Lines("etc/networks"))
        {
            // inet_network(): "127" is 127, "169.254.0.0" is 0xA9FE0000; getnetbyaddr compares the whole value.
            if (f.Length > 1 && InetNetwork(f[1]) is { } net)
            {
                map.TryAdd(net, f[0]);
            }
        }
        return map;
    }

    private static uint? InetNetwork(string text)
    {
        var parts = text.Split('.');
        if (parts.Length is 0 or > 4)
        {
            return null;
        }
        uint value = 0;
        foreach (var p in parts)
        {
            if (!byte.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var b))
            {
                return null;
            }
            value = (value << 8) | b;
        }
        return value;
    }

    private Dictionary<uint, string> LoadUsers()
    {
        var map = new Dictionary<uint, string>();
        foreach (var line in Lines("etc/passwd").Select(f => string.Join(' ', f)))
        {
            var f = line.Split(':');
            if (f.Length >= 3 && uint.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
            {
                map.TryAdd(uid, f[0]);
            }
        }
        return map;
    }
}
