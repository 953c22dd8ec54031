namespace SharpTun.WireGuard.Host;

/// <summary>The outcome of resolving a peer's Endpoint and TcpEndpoint again: an unset value when not configured or on error.</summary>
internal readonly record struct ResolvedEndpoints(NetEndpoint Udp, NetEndpoint Tcp, string? Error);
