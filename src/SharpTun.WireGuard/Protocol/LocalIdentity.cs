using System.Security.Cryptography;
using System.Text;
using SharpTun.Crypto;

namespace SharpTun.WireGuard;

/// <summary>
/// This interface's static key pair and the values derived from its public key that every received
/// handshake needs: the initial hash H(H(C || ID) || S_pub), the MAC1 key and the cookie encryption key.
/// </summary>
internal sealed class LocalIdentity : IDisposable
{
    internal static readonly byte[] Construction = Encoding.ASCII.GetBytes("Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s");
    internal static readonly byte[] Identifier = Encoding.ASCII.GetBytes("WireGuard v1 zx2c4 Jason@zx2c4.com");
    internal static readonly byte[] LabelMac1 = Encoding.ASCII.GetBytes("mac1----");
    internal static readonly byte[] LabelCookie = Encoding.ASCII.GetBytes("cookie--");

    /// <summary>C0 = HASH(CONSTRUCTION).</summary>
    internal static readonly byte[] InitialChainingKey = InitChainingKey();

    /// <summary>HASH(C0 || IDENTIFIER).</summary>
    internal static readonly byte[] InitialHashBase = InitHashBase();

    internal readonly byte[] PrivateKey = new byte[32];

    /// <summary>The private key imported once: the agreements with it (one per received initiation) cost one scalar multiplication, not two.</summary>
    internal readonly X25519PrivateKey StaticKey;
    internal readonly byte[] PublicKey = new byte[32];
    internal readonly byte[] InitialHash = new byte[32];
    internal readonly byte[] Mac1Key = new byte[32];
    internal readonly byte[] CookieKey = new byte[32];

    internal LocalIdentity(ReadOnlySpan<byte> privateKey)
    {
        privateKey.CopyTo(PrivateKey);
        StaticKey = new X25519PrivateKey(PrivateKey);
        StaticKey.GetPublicKey(PublicKey);
        DeriveForPublicKey(PublicKey, InitialHash, Mac1Key, CookieKey);
    }

    /// <summary>The three values derived from a static public key (for ours or a peer's).</summary>
    internal static void DeriveForPublicKey(ReadOnlySpan<byte> publicKey, Span<byte> initialHash, Span<byte> mac1Key, Span<byte> cookieKey)
    {
        Blake2s.Hash(InitialHashBase, publicKey, initialHash);
        Blake2s.Hash(LabelMac1, publicKey, mac1Key);
        Blake2s.Hash(LabelCookie, publicKey, cookieKey);
    }

    public void Dispose()
    {
        StaticKey.Dispose();
        CryptographicOperations.ZeroMemory(PrivateKey);
    }

    private static byte[] InitChainingKey()
    {
        var c = new byte[32];
        Blake2s.Hash(Construction, c);
        return c;
    }

    private static byte[] InitHashBase()
    {
        var h = new byte[32];
        Blake2s.Hash(InitChainingKey(), Identifier, h);
        return h;
    }
}
