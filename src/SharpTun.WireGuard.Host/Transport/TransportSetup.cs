namespace SharpTun.WireGuard.Host;

/// <summary>
/// How <see cref="WireGuardHost"/> wires the transport features of a configuration: the bind (with
/// the TCP fallback when TcpListenPort or any TcpEndpoint is set), the peers' TCP targets (resolved
/// at up, like Endpoint), and the per-peer transport care on the running interface.
/// </summary>
internal static class TransportSetup
{
    /// <summary>True when the configuration uses the encrypted TCP fallback in either direction.</summary>
    internal static bool UsesTcp(HostConfig config) => config.TcpListenPort != 0 || config.Peers.Any(p => p.TcpEndpoint is not null);

    /// <summary>The bind factory: <paramref name="udp"/> alone, or wrapped with the TCP fallback.</summary>
    internal static BindFactory Wrap(BindFactory udp, HostConfig config, HostLog log)
    {
        if (!UsesTcp(config))
        {
            return udp;
        }
        return (port, fwmark) =>
        {
            var inner = udp(port, fwmark);
            try
            {
                return new TcpFallbackBind(inner, new TcpFallbackOptions { ListenPort = config.TcpListenPort, FirewallMark = fwmark }, log, config.Name);
            }
            catch
            {
                inner.Dispose();
                throw;
            }
        };
    }

    /// <summary>Each peer's TcpEndpoint resolved (null when none); a name that does not resolve fails up, naming the peer.</summary>
    internal static List<NetEndpoint?> ResolveTcpEndpoints(HostConfig config) =>
        config.Peers.Select(p => p.TcpEndpoint is null ? (NetEndpoint?)null
            : EndpointResolver.Resolve(p.TcpEndpoint, $"{p.Origin ?? config.Name}: TcpEndpoint")).ToList();

    /// <summary>Turns on fallback, re-resolution and MTU checks for the configured peers.</summary>
    internal static void Apply(WireGuardInterface iface, HostConfig config, IReadOnlyList<NetEndpoint?> tcpTargets, int mtu)
    {
        iface.ConfigureTransports(FallbackSettings.FromEnvironment(), mtu);
        for (var i = 0; i < config.Peers.Count; i++)
        {
            var p = config.Peers[i];
            iface.SetPeerTransport(p.PublicKey, p.Endpoint, p.TcpEndpoint, tcpTargets[i]);
        }
    }
}
