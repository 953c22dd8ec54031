namespace SharpTun.Tunnel;

/// <summary>
/// Something a tunnel reports for its log: what happened (<see cref="Kind"/>), with whom
/// (<see cref="Peer"/>) and a sentence for people (<see cref="Message"/>). Raised on the tunnel's
/// event-loop thread; a handler must not block. Rate-limited per kind (at most
/// <see cref="BurstPerWindow"/> per <see cref="Window"/>), the rest counted in a
/// <see cref="TunnelEventKind.Suppressed"/> event.
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="Message">A lower-case sentence naming the peer and the cause.</param>
/// <param name="Peer">The peer's address and port, when there is one.</param>
public sealed record TunnelEvent(TunnelEventKind Kind, string Message, string? Peer = null)
{
    /// <summary>Events of one kind reported per <see cref="Window"/> before the rest are suppressed.</summary>
    public const int BurstPerWindow = 5;

    /// <summary>The rate-limit window.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    /// <summary>For <see cref="TunnelEventKind.Suppressed"/>: the kind that was suppressed.</summary>
    public TunnelEventKind? SuppressedKind { get; init; }

    /// <summary>For <see cref="TunnelEventKind.Suppressed"/>: how many events were not reported.</summary>
    public long Suppressed { get; init; }
}
