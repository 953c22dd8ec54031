namespace SharpTun.WireGuard.Tests;

internal static class Hex
{
    internal static byte[] B(string hex) => Convert.FromHexString(hex.Replace(" ", "").Replace(":", "").Replace("\n", ""));

    internal static string S(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
