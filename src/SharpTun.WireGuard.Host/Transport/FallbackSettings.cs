namespace SharpTun.WireGuard.Host;

/// <summary>
/// When a peer with a TcpEndpoint changes transport, and when host-name endpoints are resolved again.
/// Defaults suit real networks; <see cref="FromEnvironment"/> lets an operator (or a test) shorten them.
/// </summary>
public sealed record FallbackSettings
{
    /// <summary>UDP handshake initiations left unanswered before the next one goes over TCP (3: about 15 s).</summary>
    public int UdpAttemptsBeforeTcp { get; init; } = 3;

    /// <summary>TCP initiations left unanswered before trying UDP again.</summary>
    public int TcpAttemptsBeforeUdp { get; init; } = 3;

    /// <summary>While on TCP, one initiation over UDP this often; a UDP answer moves the peer back to UDP.</summary>
    public TimeSpan UdpProbeInterval { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Handshakes failing for this long resolve a host-name endpoint again (wireguard-tools' reresolve-dns.sh waits 135 s).</summary>
    public TimeSpan ResolveWhenFailingFor { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A host-name endpoint is also resolved again this often, failing or not.</summary>
    public TimeSpan ResolveInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the path MTU to each peer is read (and, at most every <see cref="MtuProbeInterval"/>, probed).</summary>
    public TimeSpan MtuCheckInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often one don't-fragment probe of the tunnel's full outer size goes to each peer's address (discard port 9).</summary>
    public TimeSpan MtuProbeInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The defaults, with any of SHARPTUN_WG_TCP_AFTER (attempts), SHARPTUN_WG_UDP_PROBE_SECONDS,
    /// SHARPTUN_WG_RESOLVE_FAILING_SECONDS, SHARPTUN_WG_RESOLVE_SECONDS, SHARPTUN_WG_MTU_PROBE_SECONDS
    /// that are set to a positive number.
    /// </summary>
    public static FallbackSettings FromEnvironment()
    {
        var s = new FallbackSettings();
        if (Number("SHARPTUN_WG_TCP_AFTER") is { } after)
        {
            s = s with { UdpAttemptsBeforeTcp = (int)after, TcpAttemptsBeforeUdp = (int)after };
        }
        if (Number("SHARPTUN_WG_UDP_PROBE_SECONDS") is { } probe)
        {
            s = s with { UdpProbeInterval = TimeSpan.FromSeconds(probe) };
        }
        if (Number("SHARPTUN_WG_RESOLVE_FAILING_SECONDS") is { } failing)
        {
            s = s with { ResolveWhenFailingFor = TimeSpan.FromSeconds(failing) };
        }
        if (Number("SHARPTUN_WG_RESOLVE_SECONDS") is { } resolve)
        {
            s = s with { ResolveInterval = TimeSpan.FromSeconds(resolve) };
        }
        if (Number("SHARPTUN_WG_MTU_PROBE_SECONDS") is { } mtu)
        {
            s = s with { MtuProbeInterval = TimeSpan.FromSeconds(mtu) };
        }
        return s;
    }

    private static double? Number(string name) =>
        double.TryParse(Environment.GetEnvironmentVariable(name), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v)
        && v > 0 && v < 1e6 ? v : null;
}
