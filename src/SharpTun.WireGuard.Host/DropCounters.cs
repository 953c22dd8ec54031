namespace SharpTun.WireGuard.Host;

/// <summary>
/// Drop counts by <see cref="DropReason"/>. Incremented with Interlocked by the pump threads; read
/// from any thread (each value is exact; a snapshot of all of them is not atomic as a whole).
/// </summary>
public sealed class DropCounters
{
    private static readonly DropReason[] s_reasons = Enum.GetValues<DropReason>();
    private readonly long[] _counts = new long[s_reasons.Length];

    /// <summary>Every reason, in declaration order.</summary>
    public static IReadOnlyList<DropReason> Reasons => s_reasons;

    /// <summary>The count for one reason.</summary>
    public long this[DropReason reason] => Volatile.Read(ref _counts[(int)reason]);

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

    internal void Add(DropReason reason, long count = 1) => Interlocked.Add(ref _counts[(int)reason], count);

    /// <summary>The wire name of a reason, as the JSON output and logs print it ("no_peer", "bad_mac_or_decrypt").</summary>
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
        _ => reason.ToString(),
    };

    /// <summary>The reason a protocol error maps to; null for errors that are not drops (buffer sizing is a bug, not a drop).</summary>
    internal static DropReason? FromError(WireGuardError error) => error switch
    {
        WireGuardError.InvalidMessage or WireGuardError.InvalidPacket => DropReason.Malformed,
        WireGuardError.InvalidMac or WireGuardError.HandshakeFailed or WireGuardError.DecryptionFailed => DropReason.BadMacOrDecrypt,
        WireGuardError.UnknownIndex or WireGuardError.UnknownPeer => DropReason.NoPeer,
        WireGuardError.StaleTimestamp or WireGuardError.InitiationFlood or WireGuardError.RateLimited => DropReason.RateLimited,
        WireGuardError.Replay => DropReason.Replay,
        WireGuardError.ExpiredSession or WireGuardError.ConnectionExpired => DropReason.Expired,
        WireGuardError.SourceNotAllowed => DropReason.SourceNotAllowed,
        WireGuardError.NoRoute => DropReason.NoRoute,
        WireGuardError.NoEndpoint => DropReason.NoEndpoint,
        WireGuardError.BufferTooSmall => DropReason.TooBig,
        _ => null,
    };
}
