using System.Net;
using System.Text.RegularExpressions;

namespace SharpTun.WireGuard;

/// <summary>
/// A WireGuard config file (wg-quick(8) or wg(8) syntax) as a model: the [Interface] and the peers,
/// in file order. <see cref="Parse"/>/<see cref="Load"/> read one, <see cref="ToString"/> writes one
/// (<c>wg showconf</c>'s layout), <see cref="ToUapiSet"/> turns it into what <c>wg setconf</c> sends,
/// <see cref="FromUapi"/> builds one from a running device. Pure: no I/O except <see cref="Load"/>.
/// </summary>
public sealed partial class WireGuardConfig
{
    /// <summary>The directory wg-quick looks in for <c>NAME.conf</c>.</summary>
    public const string DefaultDirectory = "/etc/wireguard";

    /// <summary>The [Interface] section (empty when the file had none).</summary>
    public WireGuardInterfaceConfig Interface { get; } = new();

    /// <summary>The [Peer] sections, in file order.</summary>
    public List<WireGuardPeerConfig> Peers { get; } = [];

    /// <summary>
    /// Parses config text. <paramref name="fileName"/> is what error messages call the file
    /// (<c>wg0.conf:7: ...</c>). Throws <see cref="WireGuardConfigException"/> at the first problem.
    /// </summary>
    public static WireGuardConfig Parse(string text, string fileName = "wg.conf", ConfigSyntax syntax = ConfigSyntax.WgQuick)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        return WireGuardConfigParser.Parse(text, fileName, syntax);
    }

    /// <summary>Reads and parses a file; errors name it by its file name.</summary>
    public static WireGuardConfig Load(string path, ConfigSyntax syntax = ConfigSyntax.WgQuick)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(File.ReadAllText(path), Path.GetFileName(path), syntax);
    }

    /// <summary>
    /// Where wg-quick finds a config and what it names the interface: a NAME alone (1-15 of
    /// <c>a-z A-Z 0-9 _ = + . -</c>) means <c>/etc/wireguard/NAME.conf</c>; a path (anything with a
    /// <c>/</c> or ending in <c>.conf</c> — wg-quick would look for <c>wg0.conf.conf</c> there) must end in
    /// <c>NAME.conf</c> and the interface is NAME. Throws <see cref="ArgumentException"/> in words otherwise.
    /// </summary>
    public static (string Path, string InterfaceName) ResolvePath(string fileOrName, string directory = DefaultDirectory)
    {
        ArgumentNullException.ThrowIfNull(fileOrName);
        if (NameRegex().IsMatch(fileOrName) && !fileOrName.EndsWith(".conf", StringComparison.Ordinal))
        {
            return (Path.Combine(directory, fileOrName + ".conf"), fileOrName);
        }
        var m = FileRegex().Match(fileOrName);
        if (!m.Success)
        {
            throw new ArgumentException($"'{fileOrName}': the config file must be named after the interface, NAME.conf, with NAME 1-15 characters of a-z A-Z 0-9 _ = + . - (or give the NAME alone for {directory}/NAME.conf)");
        }
        return (fileOrName, m.Groups[1].Value);
    }

    /// <summary>
    /// What <c>wg setconf</c> sends for this config: the interface keys that are set, replace_peers=true,
    /// then per peer its keys and replace_allowed_ips=true before its allowed IPs. Host-name endpoints go
    /// through <paramref name="resolve"/> (without it they are an error naming the peer and the host).
    /// </summary>
    public UapiSetRequest ToUapiSet(Func<ConfigEndpoint, NetEndpoint>? resolve = null)
    {
        var r = new UapiSetRequest
        {
            PrivateKey = Interface.PrivateKey,
            ListenPort = Interface.ListenPort,
            FwMark = Interface.FwMark,
            ReplacePeers = true,
        };
        foreach (var p in Peers)
        {
            var change = new UapiPeerChange(p.PublicKey)
            {
                PresharedKey = p.PresharedKey,
                PersistentKeepaliveInterval = p.PersistentKeepalive,
                ReplaceAllowedIps = true,
            };
            if (p.Endpoint is { } ep)
            {
                change.Endpoint = ep.NumericEndpoint ?? resolve?.Invoke(ep)
                    ?? throw new InvalidOperationException($"peer {WireGuardKeys.ToBase64(p.PublicKey)}: endpoint '{ep}' is a host name and no resolver was given");
            }
            change.AllowedIps.AddRange(p.AllowedIps);
            r.Peers.Add(change);
        }
        return r;
    }

    /// <summary>The config of a running device, as <c>wg showconf</c> prints it (zero values omitted).</summary>
    public static WireGuardConfig FromUapi(UapiDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var c = new WireGuardConfig();
        c.Interface.PrivateKey = device.PrivateKey;
        c.Interface.ListenPort = device.ListenPort == 0 ? null : device.ListenPort;
        c.Interface.FwMark = device.FwMark == 0 ? null : device.FwMark;
        foreach (var d in device.Peers)
        {
            var p = new WireGuardPeerConfig(d.PublicKey)
            {
                PresharedKey = d.PresharedKey,
                PersistentKeepalive = d.PersistentKeepaliveInterval == 0 ? null : d.PersistentKeepaliveInterval,
            };
            if (d.Endpoint.IsSet)
            {
                var ip = d.Endpoint.ToIPEndPoint();
                p.Endpoint = new ConfigEndpoint(ip.Address.ToString(), (ushort)ip.Port);
            }
            p.AllowedIps.AddRange(d.AllowedIps);
            c.Peers.Add(p);
        }
        return c;
    }

    /// <summary>The config text: wg-quick keys first (when set), then <c>wg showconf</c>'s layout.</summary>
    public override string ToString() => WireGuardConfigWriter.Write(this);

    /// <summary>Replaces <c>%i</c> in a PreUp/PostUp/PreDown/PostDown command with the interface name, as wg-quick does.</summary>
    public static string ExpandHook(string command, string interfaceName)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.Replace("%i", interfaceName, StringComparison.Ordinal);
    }

    [GeneratedRegex("^[a-zA-Z0-9_=+.-]{1,15}$")]
    private static partial Regex NameRegex();

    [GeneratedRegex("(?:^|/)([a-zA-Z0-9_=+.-]{1,15})\\.conf$")]
    private static partial Regex FileRegex();

    internal static string Join(IEnumerable<IPNetwork> nets) => string.Join(", ", nets);
}
