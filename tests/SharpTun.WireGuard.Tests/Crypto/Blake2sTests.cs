using System.Text;
using SharpTun.Crypto;
using static SharpTun.WireGuard.Tests.Hex;

namespace SharpTun.WireGuard.Tests.Crypto;

/// <summary>
/// RFC 7693 Appendix B ("abc"), the reference blake2s-kat keyed vectors (key 00..1f, message 00..n-1),
/// and keyed-128 / HMAC / KDF values computed independently with python3 (see Vectors/README.md):
/// <c>hashlib.blake2s(bytes(range(n)), key=bytes(range(32)), digest_size=16)</c>,
/// <c>hmac.new(k, m, hashlib.blake2s)</c>.
/// </summary>
public sealed class Blake2sTests
{
    [Fact]
    public void Rfc7693_Abc()
    {
        var h = new byte[32];
        Blake2s.Hash("abc"u8, h);
        Assert.Equal("508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982", S(h));
        // The same bytes split over the three parts.
        Blake2s.Hash("a"u8, "b"u8, "c"u8, h);
        Assert.Equal("508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982", S(h));
    }

    [Fact]
    public void WireGuardInitialChainingKey()
    {
        // HASH(CONSTRUCTION): the value every WireGuard implementation precomputes.
        var h = new byte[32];
        Blake2s.Hash(Encoding.ASCII.GetBytes("Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s"), h);
        Assert.Equal("60e26daef327efc02ec335e2a025d2d016eb4206f87277f52d38d1988b78cd36", S(h));
    }

    [Theory]
    [InlineData(0, "48a8997da407876b3d79c0d92325ad3b89cbb754d86ab71aee047ad345fd2c49", "9536f9b267655743dee97b8a670f9f53")]
    [InlineData(1, "40d15fee7c328830166ac3f918650f807e7e01e177258cdc0a39b11f598066f1", "13bacfb85b48a1223c595f8c1e7e82cb")]
    [InlineData(2, "6bb71300644cd3991b26ccd4d274acd1adeab8b1d7914546c1198bbe9fc9d803", "d47a9b1645e2feae501cd5fe44ce6333")]
    [InlineData(3, "1d220dbe2ee134661fdf6d9e74b41704710556f2f6e5a091b227697445dbea6b", "1e2a79436a7796a3e9826bfedf07659f")]
    [InlineData(63, "c65382513f07460da39833cb666c5ed82e61b9e998f4b0c4287cee56c3cc9bcd", "ece382a8bd5018f1de5da44b72cea75b")]
    [InlineData(64, "8975b0577fd35566d750b362b0897a26c399136df07bababbde6203ff2954ed4", "f1efa90d2547036841ecd3627fafbc36")]
    [InlineData(65, "21fe0ceb0052be7fb0f004187cacd7de67fa6eb0938d927677f2398c132317a8", "811ff8686d23a435ecbd0bdafcd27b1b")]
    [InlineData(255, "3fb735061abc519dfe979e54c1ee5bfad0a9d858b3315bad34bde999efd724dd", "cd075928ab7e6883e697fe7fd3ac43ee")]
    public void KeyedKat(int n, string expected256, string expected128)
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var msg = Enumerable.Range(0, n).Select(i => (byte)i).ToArray();
        var mac32 = new byte[32];
        var mac16 = new byte[16];
        Blake2s.Mac(key, msg, mac32);
        Blake2s.Mac(key, msg, mac16);
        Assert.Equal(expected256, S(mac32));
        Assert.Equal(expected128, S(mac16));
    }

    [Fact]
    public void Hmac_MatchesPython()
    {
        var m = "The quick brown fox jumps over the lazy dog"u8.ToArray();
        var h = new byte[32];
        Blake2s.Hmac("hmac key for sharptun"u8, m, h);
        Assert.Equal("b0c828fcfc466a9fa53a2caaec6be6928b400f1d24836a607876e6de7b41b2a8", S(h));
        // A key longer than the 64-byte block is hashed first.
        Blake2s.Hmac(Enumerable.Range(0, 100).Select(i => (byte)i).ToArray(), m, h);
        Assert.Equal("62bc55ee982e83e9f80ff756c037bac835c4201c91817685b52396da1482a6e4", S(h));
    }

    [Fact]
    public void Kdf3_MatchesPython()
    {
        var ck = B("60e26daef327efc02ec335e2a025d2d016eb4206f87277f52d38d1988b78cd36");
        var input = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        byte[] t1 = new byte[32], t2 = new byte[32], t3 = new byte[32];
        Hkdf.Kdf3(ck, input, t1, t2, t3);
        Assert.Equal("6ff66e10ab4a55ac8144a867fcd9f8ee64d4bd6239223338cb3437cf085ab031", S(t1));
        Assert.Equal("203b22d63d63e35cebb9e40210cf8c1d7f90879428a4c766cda9ef34bb299398", S(t2));
        Assert.Equal("35a7b2fc3e4f59db341dbe588e3b75897980c463d5bbb855f8ed8134ff40133a", S(t3));
        byte[] u1 = new byte[32], u2 = new byte[32];
        Hkdf.Kdf2(ck, input, u1, u2);
        Assert.Equal(S(t1), S(u1));
        Assert.Equal(S(t2), S(u2));
        Hkdf.Kdf1(ck, input, u1);
        Assert.Equal(S(t1), S(u1));
    }
}
