using System.Net;

namespace SharpTun.WireGuard;

/// <summary>
/// The [Interface] section. wg keys: <see cref="PrivateKey"/>, <see cref="ListenPort"/>, <see cref="FwMark"/>;
/// wg-quick keys: the rest. Null = not given (the default applies).
/// </summary>
public sealed class WireGuardInterfaceConfig
{
    /// <summary>The 1-based line of the [Interface] header (0 when built in code).</summary>
    public int Line { get; set; }

    /// <summary>
    /// The 1-based line on which <paramref name="key"/> (case-insensitive) was first given in this section, so
    /// that an error about a key's value points at the key's own line; the [Interface] line when it was not given.
    /// </summary>
    public int LineOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _keyLines.TryGetValue(key.ToLowerInvariant(), out var line) ? line : Line;
    }

    /// <summary>Records where a key was given (first occurrence wins).</summary>
    internal void RecordLine(string key, int line) => _keyLines.TryAdd(key.ToLowerInvariant(), line);

    private readonly Dictionary<string, int> _keyLines = new(StringComparer.Ordinal);

    /// <summary>PrivateKey (32 bytes).</summary>
    public byte[]? PrivateKey { get; set; }

    /// <summary>ListenPort (0 = any free port).</summary>
    public ushort? ListenPort { get; set; }

    /// <summary>FwMark; 0 = <c>off</c>.</summary>
    public uint? FwMark { get; set; }

    /// <summary>Address lines, each a comma list, in order; host bits kept.</summary>
    public List<InterfaceAddress> Addresses { get; } = [];

    /// <summary>DNS entries that are IP addresses: the resolvers.</summary>
    public List<IPAddress> DnsServers { get; } = [];

    /// <summary>DNS entries that are not IP addresses: search domains (as wg-quick splits them).</summary>
    public List<string> DnsSearch { get; } = [];

    /// <summary>MTU; null = wg-quick's default (the route MTU to the endpoints minus 80).</summary>
    public int? Mtu { get; set; }

    /// <summary>Table; null = <c>auto</c>.</summary>
    public RouteTable? Table { get; set; }

    /// <summary>PreUp commands, in order (<c>%i</c> stands for the interface name).</summary>
    public List<string> PreUp { get; } = [];

    /// <summary>PostUp commands, in order.</summary>
    public List<string> PostUp { get; } = [];

    /// <summary>PreDown commands, in order.</summary>
    public List<string> PreDown { get; } = [];

    /// <summary>PostDown commands, in order.</summary>
    public List<string> PostDown { get; } = [];

    /// <summary>SaveConfig: write the running state back to the file at down (wg-quick's save_config).</summary>
    public bool SaveConfig { get; set; }

    /// <summary>
    /// TcpListenPort (a SharpTun extension, not a wg or wg-quick key): also accept the encrypted TCP
    /// fallback on this TCP port (0 = off). Null = not given.
    /// </summary>
    public ushort? TcpListenPort { get; set; }

    /// <summary>True when any SharpTun-only key is set (what neither wg nor wg-quick would read).</summary>
    public bool HasSharpTunKeys => TcpListenPort is not null;

    /// <summary>True when any wg-quick-only key is set (what <c>wg setconf</c> would reject).</summary>
    public bool HasWgQuickKeys => Addresses.Count > 0 || DnsServers.Count > 0 || DnsSearch.Count > 0 || Mtu is not null || Table is not null
        || PreUp.Count > 0 || PostUp.Count > 0 || PreDown.Count > 0 || PostDown.Count > 0 || SaveConfig;
}
