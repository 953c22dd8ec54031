namespace SharpTun.WireGuard;

/// <summary>Protocol constants from the WireGuard paper §6 (timers) and §5.4 (messages).</summary>
public static class WireGuardConstants
{
    /// <summary>After this many sent messages on one keypair the initiator starts a new handshake.</summary>
    public const ulong RekeyAfterMessages = 1UL << 60;

    /// <summary>No keypair is used for more than this many messages: 2^64 − 2^13 − 1.</summary>
    public const ulong RejectAfterMessages = ulong.MaxValue - (1UL << 13);

    /// <summary>The initiator rekeys a keypair older than this when it sends.</summary>
    public static readonly TimeSpan RekeyAfterTime = TimeSpan.FromSeconds(120);

    /// <summary>A keypair older than this is never used again.</summary>
    public static readonly TimeSpan RejectAfterTime = TimeSpan.FromSeconds(180);

    /// <summary>Handshake retries stop after this long without success.</summary>
    public static readonly TimeSpan RekeyAttemptTime = TimeSpan.FromSeconds(90);

    /// <summary>An unanswered initiation is retried after this (+ 0..333 ms jitter); also the minimum spacing of initiations.</summary>
    public static readonly TimeSpan RekeyTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Maximum random jitter added to <see cref="RekeyTimeout"/> for retries.</summary>
    public static readonly TimeSpan RekeyTimeoutJitterMax = TimeSpan.FromMilliseconds(333);

    /// <summary>A received data packet not answered by any sent packet within this is answered by a keepalive.</summary>
    public static readonly TimeSpan KeepaliveTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The cookie secret is replaced after this; cookies held by initiators expire after it too.</summary>
    public static readonly TimeSpan CookieRefreshTime = TimeSpan.FromSeconds(120);

    /// <summary>Initiations from one peer closer together than this are dropped (flood protection).</summary>
    public static readonly TimeSpan MinInitiationInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Data messages carry plaintext padded to a multiple of this.</summary>
    public const int PaddingMultiple = 16;

    /// <summary>Initiation message size (type 1).</summary>
    public const int InitiationSize = 148;

    /// <summary>Response message size (type 2).</summary>
    public const int ResponseSize = 92;

    /// <summary>Cookie reply size (type 3).</summary>
    public const int CookieReplySize = 64;

    /// <summary>Transport data header size (type 4): type, reserved, receiver index, counter.</summary>
    public const int DataHeaderSize = 16;

    /// <summary>Poly1305 tag size appended to every encrypted payload.</summary>
    public const int TagSize = 16;

    /// <summary>Smallest transport data message: header + tag of an empty (keepalive) payload.</summary>
    public const int DataMinimumSize = DataHeaderSize + TagSize;

    /// <summary>Bytes a data message adds to the padded inner packet.</summary>
    public const int DataOverhead = DataHeaderSize + TagSize;
}
