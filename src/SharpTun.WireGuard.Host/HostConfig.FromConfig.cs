using SharpTun.Netlink;

namespace SharpTun.WireGuard.Host;

public sealed partial record HostConfig
{
    /// <summary>
    /// What the host runs for a parsed wg-quick file (<paramref name="fileName"/> for messages). Refuses what it
    /// cannot run, naming file:line:key (the key's own line): no PrivateKey, a Table name that no rt_tables file
    /// defines (<see cref="RouteTableNames"/>). Set <see cref="ConfigPath"/> on the result for SaveConfig.
    /// </summary>
    public static HostConfig FromConfig(WireGuardConfig config, string interfaceName, string fileName)
    {
        ArgumentNullException.ThrowIfNull(config);
        var i = config.Interface;
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
            { } t => (RouteTableNames.Resolve(t.Name!) ?? throw new WireGuardConfigException(fileName, i.LineOf("Table"), "Table",
                $"table name '{t.Name}' is not defined in {RouteTableNames.EtcDirectory}/rt_tables, {RouteTableNames.EtcDirectory}/rt_tables.d/*.conf or {RouteTableNames.UsrDirectory} (add a line 'ID {t.Name}' there, or give the numeric table id)"))
                .ToString(System.Globalization.CultureInfo.InvariantCulture),
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
            SaveConfig = i.SaveConfig,
            Source = config,
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
