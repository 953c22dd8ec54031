namespace SharpTun.WireGuard;

/// <summary>The causes of endpoint changes that the core names itself (see <see cref="EndpointChangedHandler"/>).</summary>
public static class EndpointCause
{
    /// <summary>The first authenticated packet from a peer that had no endpoint.</summary>
    public const string Learned = "learned";

    /// <summary>An authenticated packet from a new address.</summary>
    public const string Roam = "roam";

    /// <summary>Configuration (<see cref="WireGuardPeer.Endpoint"/> set, UAPI <c>endpoint=</c>).</summary>
    public const string Set = "set";

    /// <summary>The transport switched to TCP.</summary>
    public const string Tcp = "tcp";

    /// <summary>The transport switched (back) to UDP.</summary>
    public const string Udp = "udp";
}
