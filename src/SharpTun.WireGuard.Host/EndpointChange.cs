namespace SharpTun.WireGuard.Host;

/// <summary>
/// One change of a peer's endpoint: <paramref name="Cause"/> "roam" (an authenticated packet came from a
/// new address), "set" (configuration, UAPI), or what another part names (e.g. "resolve", "tcp").
/// </summary>
/// <param name="At">When it changed.</param>
/// <param name="From">The previous endpoint (unset for the first one).</param>
/// <param name="To">The new endpoint.</param>
/// <param name="Cause">Why.</param>
public sealed record EndpointChange(DateTimeOffset At, NetEndpoint From, NetEndpoint To, string Cause);
