using System.Buffers.Binary;
using System.Text;
using SharpTun.Crypto;
using static SharpTun.WireGuard.Tests.Hex;

namespace SharpTun.WireGuard.Tests.Crypto;

/// <summary>RFC 8439 §2.8.2 and draft-irtf-cfrg-xchacha-03 §2.2.1 / §A.3.1 known answers.</summary>
public sealed class AeadTests
{
    private static readonly byte[] s_sunscreen = Encoding.ASCII.GetBytes(
        "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");
    private static readonly byte[] s_aad = B("50515253c0c1c2c3c4c5c6c7");
    private static readonly byte[] s_key = B("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");

    [Fact]
    public void Rfc8439_2_8_2()
    {
        using var aead = new System.Security.Cryptography.ChaCha20Poly1305(s_key);
        var ct = new byte[s_sunscreen.Length];
        var tag = new byte[16];
        aead.Encrypt(B("070000004041424344454647"), s_sunscreen, ct, tag, s_aad);
        Assert.Equal("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116", S(ct));
        Assert.Equal("1ae10b594f09e26a7e902ecbd0600691", S(tag));
    }

    [Fact]
    public void CounterNonce_Is4ZeroBytesThenLittleEndianCounter()
    {
        const ulong counter = 0x0102030405060708;
        var nonce = new byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(nonce.AsSpan(4), counter);
        using var reference = new System.Security.Cryptography.ChaCha20Poly1305(s_key);
        var ct = new byte[s_sunscreen.Length];
        var tag = new byte[16];
        reference.Encrypt(nonce, s_sunscreen, ct, tag, s_aad);

        using var ours = new ChaChaPoly(s_key);
        var sealedBytes = new byte[s_sunscreen.Length + 16];
        ours.Seal(counter, s_sunscreen, s_aad, sealedBytes);
        Assert.Equal(S(ct) + S(tag), S(sealedBytes));

        var back = new byte[s_sunscreen.Length];
        Assert.True(ours.TryOpen(counter, sealedBytes, s_aad, back));
        Assert.Equal(s_sunscreen, back);
        Assert.False(ours.TryOpen(counter + 1, sealedBytes, s_aad, back));
        sealedBytes[5] ^= 1;
        Assert.False(ours.TryOpen(counter, sealedBytes, s_aad, back));
    }

    [Fact]
    public void HChaCha20_Draft_2_2_1()
    {
        var subkey = new byte[32];
        HChaCha20.DeriveSubkey(B("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"),
            B("000000090000004a0000000031415927"), subkey);
        Assert.Equal("82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc", S(subkey));
    }

    [Fact]
    public void XChaCha20Poly1305_Draft_A_3_1()
    {
        var nonce = B("404142434445464748494a4b4c4d4e4f5051525354555657");
        var output = new byte[s_sunscreen.Length + 16];
        XChaCha20Poly1305.Seal(s_key, nonce, s_sunscreen, s_aad, output);
        Assert.Equal("bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff921f9664c97637da9768812f615c68b13b52e"
            + "c0875924c1c7987947deafd8780acf49", S(output));
        var back = new byte[s_sunscreen.Length];
        Assert.True(XChaCha20Poly1305.TryOpen(s_key, nonce, output, s_aad, back));
        Assert.Equal(s_sunscreen, back);
        output[^1] ^= 0x80;
        Assert.False(XChaCha20Poly1305.TryOpen(s_key, nonce, output, s_aad, back));
    }
}
