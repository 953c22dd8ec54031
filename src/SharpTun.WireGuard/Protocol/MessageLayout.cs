namespace SharpTun.WireGuard;

/// <summary>Byte offsets of the four WireGuard messages (all integers little-endian; type is a u8 followed by 3 zero bytes).</summary>
internal static class MessageLayout
{
    internal const uint TypeInitiation = 1;
    internal const uint TypeResponse = 2;
    internal const uint TypeCookieReply = 3;
    internal const uint TypeData = 4;

    // Initiation (148): type 0..4, sender 4..8, ephemeral 8..40, static 40..88, timestamp 88..116, mac1 116..132, mac2 132..148.
    internal const int InitSender = 4;
    internal const int InitEphemeral = 8;
    internal const int InitStatic = 40;
    internal const int InitStaticLength = 32 + 16;
    internal const int InitTimestamp = 88;
    internal const int InitTimestampLength = 12 + 16;

    // Response (92): type, sender 4..8, receiver 8..12, ephemeral 12..44, empty 44..60, mac1 60..76, mac2 76..92.
    internal const int RespSender = 4;
    internal const int RespReceiver = 8;
    internal const int RespEphemeral = 12;
    internal const int RespEmpty = 44;

    // Cookie reply (64): type, receiver 4..8, nonce 8..32, encrypted cookie 32..64.
    internal const int CookieReceiver = 4;
    internal const int CookieNonce = 8;
    internal const int CookieEncrypted = 32;

    // Data: type, receiver 4..8, counter 8..16, ciphertext 16..
    internal const int DataReceiver = 4;
    internal const int DataCounter = 8;

    internal const int MacSize = 16;

    /// <summary>Offset of mac1 in a message of <paramref name="size"/> bytes (the last 32 bytes hold mac1, mac2).</summary>
    internal static int Mac1Offset(int size) => size - 32;

    /// <summary>Offset of mac2.</summary>
    internal static int Mac2Offset(int size) => size - 16;
}
