using Microsoft.Extensions.Logging;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// The host's structured events (source-generated, no boxing): each names the interface and, for a peer,
/// its short key (the first 8 base64 characters of its public key, as <c>wg</c> users abbreviate them).
/// </summary>
internal static partial class HostLogEvents
{
    /// <summary>A peer's key as the logs name it: the first 8 characters of its base64 public key.</summary>
    internal static string ShortKey(WireGuardPeer peer) => peer.ToString()[..8];

    /// <summary>A peer's key as the logs name it, from its base64 form.</summary>
    internal static string ShortKey(string base64) => base64.Length > 8 ? base64[..8] : base64;

    [LoggerMessage(EventId = 1, Message = "{Interface}: {Text}")]
    internal static partial void Message(ILogger logger, LogLevel level, string @interface, string text);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "{Interface}: peer {Peer}: handshake completed ({Role}), endpoint {Endpoint}")]
    internal static partial void HandshakeCompleted(ILogger logger, string @interface, string peer, string role, string endpoint);

    [LoggerMessage(EventId = 11, Level = LogLevel.Debug, Message = "{Interface}: peer {Peer}: {Count} handshake initiation(s) sent")]
    internal static partial void HandshakeSent(ILogger logger, string @interface, string peer, long count);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "{Interface}: peer {Peer}: handshake did not complete after 90 s, giving up; {Dropped} queued packet(s) dropped")]
    internal static partial void HandshakeGaveUp(ILogger logger, string @interface, string peer, long dropped);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "{Interface}: peer {Peer}: endpoint {From} -> {To} ({Cause})")]
    internal static partial void EndpointChanged(ILogger logger, string @interface, string peer, string from, string to, string cause);

    [LoggerMessage(EventId = 30, Message = "{Interface}: peer {Peer}: state {From} -> {To}")]
    internal static partial void StateChanged(ILogger logger, LogLevel level, string @interface, string peer, string from, string to);

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "{Interface}: peer {Peer}: {Count} {Reason} drop(s) in the last {Seconds} s")]
    internal static partial void PeerErrors(ILogger logger, string @interface, string peer, long count, string reason, int seconds);

    internal static void HandshakeGaveUp(HostLog log, string name, WireGuardPeer peer, long dropped)
    {
        if (log.IsEnabled(HostLogLevel.Warning))
        {
            HandshakeGaveUp(log.Logger, name, ShortKey(peer), dropped);
        }
    }
}
