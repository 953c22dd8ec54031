using SharpTun.Crypto;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Tests.Crypto;

/// <summary>One <see cref="ChaChaPoly"/> shared by several threads: every output equals the single-threaded one; dispose racing with calls is safe.</summary>
public sealed class ChaChaPolyConcurrencyTests(ITestOutputHelper output)
{
    [Fact]
    public void FourThreads_OneInstance_SameBytesAsSequential()
    {
        var seed = TestSeed.Get(output);
        var key = new byte[32];
        new Random(seed).NextBytes(key);
        using var shared = new ChaChaPoly(key);
        using var reference = new ChaChaPoly(key);
        var failures = 0;
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            var rng = new Random(seed + t);
            var plain = new byte[1420];
            var mine = new byte[1436];
            var expected = new byte[1436];
            var back = new byte[1420];
            for (var i = 0; i < 3000; i++)
            {
                rng.NextBytes(plain);
                var counter = ((ulong)t << 32) | (uint)i;
                shared.Seal(counter, plain, default, mine);
                lock (reference)
                {
                    reference.Seal(counter, plain, default, expected);
                }
                if (!mine.AsSpan().SequenceEqual(expected) || !shared.TryOpen(counter, mine, default, back) || !back.AsSpan().SequenceEqual(plain))
                {
                    Interlocked.Increment(ref failures);
                }
                mine[i % mine.Length] ^= 1;
                if (shared.TryOpen(counter, mine, default, back))
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        Assert.All(threads, t => Assert.True(t.Join(TimeSpan.FromSeconds(120))));
        Assert.Equal(0, failures);
    }

    [Fact]
    public void Dispose_WhileOtherThreadsSeal_IsSafe_AndLaterCallsFail()
    {
        var aead = new ChaChaPoly(new byte[32]);
        using var go = new ManualResetEventSlim();
        var stop = 0;
        var sealedAfterDispose = 0;
        var threads = Enumerable.Range(0, 3).Select(_ => new Thread(() =>
        {
            var buf = new byte[1436];
            go.Wait();
            while (Volatile.Read(ref stop) == 0)
            {
                aead.TrySeal(1, buf.AsSpan(0, 1420), default, buf);
            }
            if (aead.TrySeal(1, buf.AsSpan(0, 1420), default, buf))
            {
                Interlocked.Increment(ref sealedAfterDispose);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        go.Set();
        Thread.Sleep(50); // let the threads run into the calls; not a readiness wait
        aead.Dispose();
        aead.Dispose();
        Volatile.Write(ref stop, 1);
        Assert.All(threads, t => Assert.True(t.Join(TimeSpan.FromSeconds(60))));
        Assert.Equal(0, sealedAfterDispose);
        Assert.False(aead.TryOpen(1, new byte[32], default, new byte[16]));
        Assert.Throws<ObjectDisposedException>(() => aead.Seal(1, new byte[16], default, new byte[32]));
    }
}
