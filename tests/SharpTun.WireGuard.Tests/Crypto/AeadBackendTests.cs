using SharpTun.Testing;
using SharpTun.Crypto;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Tests.Crypto;

/// <summary>
/// The ChaCha20-Poly1305 backends (.NET's class, OpenSSL EVP, libsodium) against each other on seeded
/// inputs, forgeries rejected without exceptions or allocation, and a per-packet measurement
/// (1420-byte packets, seal / open valid / open forged) printed for the record.
/// </summary>
public sealed class AeadBackendTests(ITestOutputHelper output)
{
    private const int PacketSize = 1420;

    [Fact]
    public void Backends_AgreeWithDotNet_OnSeededInputs()
    {
        var rng = new Random(TestSeed.Get(output));
        for (var i = 0; i < 200; i++)
        {
            var key = new byte[32];
            rng.NextBytes(key);
            var plain = new byte[rng.Next(0, 2000)];
            rng.NextBytes(plain);
            var aad = new byte[rng.Next(0, 3) * 16];
            rng.NextBytes(aad);
            var counter = (ulong)rng.NextInt64();
            using var net = new System.Security.Cryptography.ChaCha20Poly1305(key);
            var nonce = new byte[12];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(nonce.AsSpan(4), counter);
            var expected = new byte[plain.Length + 16];
            net.Encrypt(nonce, plain, expected.AsSpan(0, plain.Length), expected.AsSpan(plain.Length), aad);

            using var ossl = new ChaChaPoly(key) { AlwaysThreadContext = i % 2 == 0 };
            using var sodium = new SodiumChaChaPoly(key);
            using var ours = new ChaChaPoly(key);
            var a = new byte[expected.Length];
            var b = new byte[expected.Length];
            var c = new byte[expected.Length];
            ossl.Seal(counter, plain, aad, a);
            sodium.Seal(counter, plain, aad, b);
            ours.Seal(counter, plain, aad, c);
            Assert.Equal(expected, a);
            Assert.Equal(expected, b);
            Assert.Equal(expected, c);

            var back = new byte[plain.Length];
            Assert.True(ossl.TryOpen(counter, expected, aad, back));
            Assert.Equal(plain, back);
            Array.Clear(back);
            Assert.True(sodium.TryOpen(counter, expected, aad, back));
            Assert.Equal(plain, back);
            Array.Clear(back);
            Assert.True(ours.TryOpen(counter, expected, aad, back));
            Assert.Equal(plain, back);

            var forged = (byte[])expected.Clone();
            forged[rng.Next(forged.Length)] ^= (byte)(1 << rng.Next(8));
            Assert.False(ossl.TryOpen(counter, forged, aad, back));
            Assert.False(sodium.TryOpen(counter, forged, aad, back));
            Assert.False(ours.TryOpen(counter, forged, aad, back));
            Assert.False(ours.TryOpen(counter + 1, expected, aad, back));
        }
    }

    [Fact]
    public void OpenSsl_ClearsPlaintext_OfAForgery()
    {
        var key = new byte[32];
        using var ossl = new ChaChaPoly(key) { AlwaysThreadContext = true };
        var msg = new byte[100 + 16];
        ossl.Seal(7, new byte[100], default, msg);
        msg[^1] ^= 1;
        var plain = new byte[100];
        Array.Fill(plain, (byte)0x55);
        Assert.False(ossl.TryOpen(7, msg, default, plain));
        Assert.All(plain, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Forgery_And_Valid_AllocateNothing()
    {
        var key = new byte[32];
        using var ours = new ChaChaPoly(key);
        var plain = new byte[PacketSize];
        var msg = new byte[PacketSize + 16];
        ours.Seal(1, plain, default, msg);
        var forged = (byte[])msg.Clone();
        forged[5] ^= 0x80;
        for (var i = 0; i < 200; i++)
        {
            ours.TryOpen(1, forged, default, plain);
            ours.TryOpen(1, msg, default, plain);
            ours.Seal(1, plain, default, msg);
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        var rejected = 0;
        for (var i = 0; i < 1000; i++)
        {
            rejected += ours.TryOpen(1, forged, default, plain) ? 0 : 1;
            ours.Seal(1, plain, default, msg);
            Assert.True(ours.TryOpen(1, msg, default, plain));
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1000, rejected);
    }

    [Fact]
    public void Measure_PerPacket_1420Bytes()
    {
        var key = new byte[32];
        Random.Shared.NextBytes(key);
        using var net = new System.Security.Cryptography.ChaCha20Poly1305(key);
        using var ossl = new ChaChaPoly(key);
        using var osslThread = new ChaChaPoly(key) { AlwaysThreadContext = true };
        using var sodium = new SodiumChaChaPoly(key);
        var plain = new byte[PacketSize];
        var msg = new byte[PacketSize + 16];
        ossl.Seal(9, plain, default, msg);
        var forged = (byte[])msg.Clone();
        forged[100] ^= 1;
        var nonce = new byte[12];
        nonce[4] = 9;
        var tag = new byte[16];

        var ops = new List<(string Name, Action Op)>
        {
            (".NET ChaCha20Poly1305 seal", () => net.Encrypt(nonce, plain, msg.AsSpan(0, PacketSize), tag, default)),
            (".NET ChaCha20Poly1305 open valid", () => net.Decrypt(nonce, msg.AsSpan(0, PacketSize), msg.AsSpan(PacketSize), plain)),
            (".NET ChaCha20Poly1305 open forged (catch)", () =>
            {
                try
                {
                    net.Decrypt(nonce, forged.AsSpan(0, PacketSize), forged.AsSpan(PacketSize), plain);
                }
                catch (System.Security.Cryptography.AuthenticationTagMismatchException)
                {
                }
            }),
            ("ChaChaPoly (OpenSSL EVP, own ctx) seal", () => ossl.Seal(9, plain, default, msg)),
            ("ChaChaPoly (OpenSSL EVP, own ctx) open valid", () => ossl.TryOpen(9, msg, default, plain)),
            ("ChaChaPoly (OpenSSL EVP, own ctx) open forged", () => ossl.TryOpen(9, forged, default, plain)),
            ("ChaChaPoly (OpenSSL EVP, thread ctx) seal", () => osslThread.Seal(9, plain, default, msg)),
            ("ChaChaPoly (OpenSSL EVP, thread ctx) open valid", () => osslThread.TryOpen(9, msg, default, plain)),
            ("ChaChaPoly (OpenSSL EVP, thread ctx) open forged", () => osslThread.TryOpen(9, forged, default, plain)),
            ("libsodium seal", () => sodium.Seal(9, plain, default, msg)),
            ("libsodium open valid", () => sodium.TryOpen(9, msg, default, plain)),
            ("libsodium open forged", () => sodium.TryOpen(9, forged, default, plain)),
        };
        // Round robin, so that load from other processes hits every backend alike; min and median of the rounds.
        const int Rounds = 9;
        const int Iterations = 3000;
        var times = new double[ops.Count, Rounds];
        var allocated = new long[ops.Count];
        foreach (var (_, op) in ops)
        {
            for (var i = 0; i < 1000; i++)
            {
                op();
            }
        }
        for (var r = 0; r < Rounds; r++)
        {
            for (var k = 0; k < ops.Count; k++)
            {
                var op = ops[k].Op;
                var before = GC.GetAllocatedBytesForCurrentThread();
                var cpu = ThreadCpuClock.Nanoseconds();
                for (var i = 0; i < Iterations; i++)
                {
                    op();
                }
                times[k, r] = (double)(ThreadCpuClock.Nanoseconds() - cpu) / Iterations;
                allocated[k] = (GC.GetAllocatedBytesForCurrentThread() - before) / Iterations;
            }
        }
        output.WriteLine($"ChaCha20-Poly1305, {PacketSize}-byte packets: thread CPU ns per packet (min / median of {Rounds} rounds of {Iterations}), bytes allocated per call");
        for (var k = 0; k < ops.Count; k++)
        {
            var row = Enumerable.Range(0, Rounds).Select(r => times[k, r]).Order().ToArray();
            output.WriteLine($"  {ops[k].Name,-48} {row[0],7:F0} / {row[Rounds / 2],7:F0} ns  {allocated[k],4} B");
        }
    }
}
