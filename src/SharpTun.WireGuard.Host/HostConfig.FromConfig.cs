using SharpTun.Netlink;

namespace SharpTun.WireGuard.Host;

public sealed partial record HostConfig
{
    /// <summary>
    /// What the host runs for a parsed wg-quick file (<paramref name="fileName"/> for messages). Refuses what it
    /// does not support, naming file:line:key: SaveConfig = true, no PrivateKey, a Table name.
    /// </summary>
    public static HostConfig FromConfig(WireGuardConfig config, string interfaceName, string fileName)
    {
        ArgumentNullException.ThrowIfNull(config);
        var i = config.Interface;
        if (i.SaveConfig)
        {
            throw new WireGuardConfigException(fileName, i.Line, "SaveConfig",
                "'true' is not supported: sharptun does not write the running configuration back; remove the line or set it to false (use 'wg showconf' to save by hand)");
        }
        if (i.PrivateKey is null)
        {
            throw new WireGuardConfigException(fileName, i.Line, "PrivateKey", "the [Interface] section has no PrivateKey (make one with 'sharptun wg genkey')");
        }
        string? table = i.Table switch
        {
            null => null,
            { Kind: RouteTableKind.Auto } => null,
            { Kind: RouteTableKind.Off } => "off",
            { Kind: RouteTableKind.Id } t => t.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            { } t => throw new WireGuardConfigException(fileName, i.Line, "Table", $"table name '{t.Name}' is not supported; give the numeric table id"),
        };
        return new HostConfig
        {
            Name = interfaceName,
            Origin = fileName,
            PrivateKey = i.PrivateKey,
            ListenPort = i.ListenPort ?? 0,
            FwMark = i.FwMark ?? 0,
            TcpListenPort = i.TcpListenPort ?? 0,
            Addresses = i.Addresses.Select(a => new IpPrefix(a.Address, a.PrefixLength)).ToList(),
            Mtu = i.Mtu,
            Table = table,
            Dns = [.. i.DnsServers.Select(s => s.ToString()), .. i.DnsSearch],
            PreUp = i.PreUp,
            PostUp = i.PostUp,
            PreDown = i.PreDown,
            PostDown = i.PostDown,
            Peers = config.Peers.Select(p => new HostPeerConfig
            {
                PublicKey = p.PublicKey,
                PresharedKey = p.PresharedKey,
                AllowedIps = p.AllowedIps.ToList(),
                Endpoint = p.Endpoint?.ToString(),
                TcpEndpoint = p.TcpEndpoint?.ToString(),
                PersistentKeepalive = TimeSpan.FromSeconds(p.PersistentKeepalive ?? 0),
                Origin = $"{fileName}:{p.Line}",
            }).ToList(),
        };
    }
}
