using SharpTun.Crypto;
using static SharpTun.WireGuard.Tests.Hex;

namespace SharpTun.WireGuard.Tests.Crypto;

/// <summary>RFC 7748 §5.2 and §6.1 known answers.</summary>
public sealed class X25519Tests
{
    [Theory]
    [InlineData("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
        "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
        "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552")]
    [InlineData("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
        "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
        "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957")]
    public void Rfc7748_5_2(string scalar, string u, string expected)
    {
        var output = new byte[32];
        Assert.True(X25519.TrySharedSecret(B(scalar), B(u), output));
        Assert.Equal(expected, S(output));
    }

    [Fact]
    public void Rfc7748_5_2_Iterated_1_And_1000()
    {
        var k = new byte[32];
        var u = new byte[32];
        k[0] = 9;
        u[0] = 9;
        var r = new byte[32];
        for (var i = 1; i <= 1000; i++)
        {
            Assert.True(X25519.TrySharedSecret(k, u, r));
            k.CopyTo(u, 0);
            r.CopyTo(k, 0);
            if (i == 1)
            {
                Assert.Equal("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079", S(k));
            }
        }
        Assert.Equal("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51", S(k));
    }

    [Fact]
    public void Rfc7748_6_1_DiffieHellman()
    {
        var alicePriv = B("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        var bobPriv = B("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        var alicePub = new byte[32];
        var bobPub = new byte[32];
        X25519.DerivePublicKey(alicePriv, alicePub);
        X25519.DerivePublicKey(bobPriv, bobPub);
        Assert.Equal("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", S(alicePub));
        Assert.Equal("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", S(bobPub));
        var k1 = new byte[32];
        var k2 = new byte[32];
        Assert.True(X25519.TrySharedSecret(alicePriv, bobPub, k1));
        Assert.True(X25519.TrySharedSecret(bobPriv, alicePub, k2));
        Assert.Equal("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", S(k1));
        Assert.Equal(S(k1), S(k2));
    }

    [Fact]
    public void LowOrderPoint_GivesNoSharedSecret()
    {
        var priv = new byte[32];
        X25519.GeneratePrivateKey(priv);
        var zeroPoint = new byte[32];
        var output = new byte[32];
        Assert.False(X25519.TrySharedSecret(priv, zeroPoint, output));
        // u = 1 has order 4.
        var one = new byte[32];
        one[0] = 1;
        Assert.False(X25519.TrySharedSecret(priv, one, output));
    }

    [Fact]
    public void GeneratedKeys_AreClamped_AndDistinct()
    {
        var a = new byte[32];
        var b = new byte[32];
        X25519.GeneratePrivateKey(a);
        X25519.GeneratePrivateKey(b);
        Assert.NotEqual(S(a), S(b));
        Assert.Equal(0, a[0] & 7);
        Assert.Equal(64, a[31] & 0xC0);
    }

    [Fact]
    public void ImportedKey_Rfc7748_6_1_SameAsRawBytes_LowOrderRefused_ManyThreads_ThenDisposed()
    {
        var alicePriv = B("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        var bobPub = B("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        var alice = new X25519PrivateKey(alicePriv);
        var pub = new byte[32];
        alice.GetPublicKey(pub);
        Assert.Equal("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", S(pub));
        var k = new byte[32];
        Assert.True(alice.TrySharedSecret(bobPub, k));
        Assert.Equal("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", S(k));
        Assert.False(alice.TrySharedSecret(new byte[32], k));
        Assert.Equal(new byte[32], k); // cleared, as the raw-bytes function does
        Assert.Throws<ArgumentException>(() => alice.TrySharedSecret(new byte[31], k));

        // Seeded random peers from four threads at once: each agreement equals the raw-bytes one.
        var failures = 0;
        Parallel.For(0, 4, t =>
        {
            var random = new Random(7000 + t);
            var peer = new byte[32];
            var peerPub = new byte[32];
            var a = new byte[32];
            var b = new byte[32];
            for (var i = 0; i < 50; i++)
            {
                random.NextBytes(peer);
                X25519.DerivePublicKey(peer, peerPub);
                if (!alice.TrySharedSecret(peerPub, a) || !X25519.TrySharedSecret(alicePriv, peerPub, b) || !a.AsSpan().SequenceEqual(b))
                {
                    Interlocked.Increment(ref failures);
                }
            }
        });
        Assert.Equal(0, failures);

        alice.Dispose();
        Assert.Throws<ObjectDisposedException>(() => alice.TrySharedSecret(bobPub, k));
        alice.Dispose(); // twice is fine
    }
}
