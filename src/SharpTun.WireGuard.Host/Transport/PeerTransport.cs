namespace SharpTun.WireGuard.Host;

/// <summary>
/// The host's transport bookkeeping for one peer (under the interface lock unless noted): the
/// configured endpoints as written (host names are resolved again), their current addresses, the
/// TCP fallback policy when the peer has a TcpEndpoint, handshake progress, and the path MTU check.
/// </summary>
internal sealed class PeerTransport
{
    internal PeerTransport(string? endpointText, string? tcpEndpointText, NetEndpoint udpTarget, NetEndpoint tcpTarget, TcpFallbackPolicy? policy)
    {
        EndpointText = endpointText;
        TcpEndpointText = tcpEndpointText;
        UdpTarget = udpTarget;
        TcpTarget = tcpTarget;
        Policy = policy;
    }

    /// <summary>Endpoint as configured; resolved again only when it names a host.</summary>
    internal string? EndpointText { get; }

    /// <summary>TcpEndpoint as configured.</summary>
    internal string? TcpEndpointText { get; }

    /// <summary>Where UDP goes when the peer is on UDP (the last resolution of <see cref="EndpointText"/>).</summary>
    internal NetEndpoint UdpTarget { get; set; }

    /// <summary>Where the TCP fallback connects (the last resolution of <see cref="TcpEndpointText"/>).</summary>
    internal NetEndpoint TcpTarget { get; set; }

    /// <summary>Null when the peer has no TcpEndpoint (it may still reach us over TCP; we answer on the way it came).</summary>
    internal TcpFallbackPolicy? Policy { get; }

    /// <summary>True when either configured endpoint is a host name (not an address literal).</summary>
    internal bool HasHostName => IsHostName(EndpointText) || IsHostName(TcpEndpointText);

    /// <summary>The latest handshake seen by the previous tick (changes = a handshake completed).</summary>
    internal DateTimeOffset? LastHandshakeSeen { get; set; }

    /// <summary>When the first initiation since the last completed handshake was sent (timestamp); long.MinValue = none pending.</summary>
    internal long FailingSince { get; set; } = long.MinValue;

    /// <summary>When a resolution last started (timestamp).</summary>
    internal long LastResolve { get; set; }

    /// <summary>A resolution running on the thread pool (DNS must not run under the lock).</summary>
    internal Task<ResolvedEndpoints>? Resolving { get; set; }

    /// <summary>The last resolution error logged (logged again only when it changes).</summary>
    internal string? LastResolveError { get; set; }

    /// <summary>When the path MTU was last checked / probed (timestamps).</summary>
    internal long LastMtuCheck { get; set; } = long.MinValue;

    internal long LastMtuProbe { get; set; } = long.MinValue;

    /// <summary>The remote the last probe went to (a new endpoint is probed at once).</summary>
    internal NetEndpoint MtuProbedRemote { get; set; }

    /// <summary>A path MTU check running on the thread pool.</summary>
    internal Task<int>? MtuCheck { get; set; }

    /// <summary>The path MTU a warning was last logged for (warn once per value).</summary>
    internal int MtuWarned { get; set; }

    private static bool IsHostName(string? text)
    {
        if (text is null || text.StartsWith('['))
        {
            return false;
        }
        var colon = text.LastIndexOf(':');
        return colon > 0 && !System.Net.IPAddress.TryParse(text.AsSpan(0, colon), out _);
    }
}
