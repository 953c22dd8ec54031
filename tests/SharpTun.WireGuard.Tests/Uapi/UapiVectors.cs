namespace SharpTun.WireGuard.Tests;

/// <summary>The UAPI and config golden files in Vectors/Uapi (see Vectors/README.md) and their keys.</summary>
internal static class UapiVectors
{
    internal const string PrivateKey = "YLnwVQ7ir/1q+SFE1v1gtIk/8t3BadjX1otHCV6G1Gg=";
    internal const string Peer1 = "zNELNcjlKjz2KlYWMiDChTN/ESZouZeatNbg1ceUeXc=";
    internal const string Peer2 = "hWOQLmxH7t4itFO8K49wLVl31acHQv6RPLyl2dUP03I=";
    internal const string Psk = "0ghr+iFUW6Ew9xJNX/5U5JgfiE6NQVvqFOAyfpTmMAQ=";

    internal static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", "Uapi", name));

    internal static byte[] Key(string base64) => Convert.FromBase64String(base64);
}
