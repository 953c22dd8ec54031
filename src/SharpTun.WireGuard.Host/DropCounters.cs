namespace SharpTun.WireGuard.Host;

/// <summary>
/// Drop counts by <see cref="DropReason"/>. Incremented with Interlocked by the pump threads; read
/// from any thread (each value is exact; a snapshot of all of them is not atomic as a whole). The
/// last reason and its time are kept as the "last error" (<see cref="LastReason"/>, <see cref="LastAt"/>).
/// </summary>
public sealed class DropCounters
{
    private static readonly DropReason[] s_reasons = Enum.GetValues<DropReason>();
    private readonly long[] _counts = new long[s_reasons.Length];
    private readonly TimeProvider _time;
    private int _lastReason = -1;
    private long _lastAtTicks;

    /// <summary>Counters stamping the last drop with <paramref name="time"/> (default: the system clock).</summary>
    public DropCounters(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>Every reason, in declaration order.</summary>
    public static IReadOnlyList<DropReason> Reasons => s_reasons;

    /// <summary>The count for one reason.</summary>
    public long this[DropReason reason] => Volatile.Read(ref _counts[(int)reason]);

    /// <summary>The reason of the latest drop; null when nothing was dropped.</summary>
    public DropReason? LastReason => Volatile.Read(ref _lastReason) is var r and >= 0 ? (DropReason)r : null;

    /// <summary>When the latest drop happened; null when nothing was dropped.</summary>
    public DateTimeOffset? LastAt => Volatile.Read(ref _lastAtTicks) is var t and > 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    /// <summary>The sum over all reasons.</summary>
    public long Total
    {
        get
        {
            long sum = 0;
            foreach (var r in s_reasons)
            {
                sum += this[r];
            }
            return sum;
        }
    }

    internal void Add(DropReason reason, long count = 1)
    {
        if (count <= 0)
        {
            return;
        }
        Interlocked.Add(ref _counts[(int)reason], count);
        Volatile.Write(ref _lastAtTicks, _time.GetUtcNow().UtcTicks);
        Volatile.Write(ref _lastReason, (int)reason);
    }

    /// <summary>The wire name of a reason, as the JSON output, metrics and logs print it ("no_peer", "bad_mac_or_decrypt").</summary>
    public static string Name(DropReason reason) => reason switch
    {
        DropReason.NoPeer => "no_peer",
        DropReason.NoRoute => "no_route",
        DropReason.SourceNotAllowed => "source_not_allowed",
        DropReason.BadMacOrDecrypt => "bad_mac_or_decrypt",
        DropReason.Replay => "replay",
        DropReason.Expired => "expired",
        DropReason.TooBig => "too_big",
        DropReason.QueueFull => "queue_full",
        DropReason.Malformed => "malformed",
        DropReason.RateLimited => "rate_limited",
        DropReason.NoEndpoint => "no_endpoint",
        DropReason.SendFailed => "send_failed",
        DropReason.TunWriteFailed => "tun_write_failed",
        DropReason.BadMac1 => "bad_mac1",
        DropReason.HandshakeQueueFull => "handshake_queue_full",
        _ => reason.ToString(),
    };

    /// <summary>
    /// The reason a protocol error maps to; null for errors that are not a drop of their own: buffer sizing
    /// is a bug, and ConnectionExpired (a handshake attempt given up) drops the queued packets, which are
    /// counted one by one as <see cref="DropReason.Expired"/> from the core's count.
    /// </summary>
    internal static DropReason? FromError(WireGuardError error) => error switch
    {
        WireGuardError.InvalidMessage or WireGuardError.InvalidPacket => DropReason.Malformed,
        WireGuardError.InvalidMac or WireGuardError.HandshakeFailed or WireGuardError.DecryptionFailed => DropReason.BadMacOrDecrypt,
        WireGuardError.UnknownIndex or WireGuardError.UnknownPeer => DropReason.NoPeer,
        WireGuardError.InitiationFlood or WireGuardError.RateLimited => DropReason.RateLimited,
        // A handshake initiation whose timestamp is not newer than the last accepted one is a replay, as a reused data counter is.
        WireGuardError.Replay or WireGuardError.StaleTimestamp => DropReason.Replay,
        WireGuardError.ExpiredSession => DropReason.Expired,
        WireGuardError.SourceNotAllowed => DropReason.SourceNotAllowed,
        WireGuardError.NoRoute => DropReason.NoRoute,
        WireGuardError.NoEndpoint => DropReason.NoEndpoint,
        WireGuardError.BufferTooSmall => DropReason.TooBig,
        _ => null,
    };
}
