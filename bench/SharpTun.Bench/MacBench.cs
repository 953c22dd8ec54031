using System.Diagnostics;
using System.Globalization;
using SharpTun.Crypto;

namespace SharpTun.Bench;

/// <summary>
/// What one handshake message's mac1 check costs (keyed BLAKE2s-128 over the 116 bytes in front of mac1 of an
/// initiation): the work every valid-looking initiation of a flood costs the socket reader before anything else.
/// Prints ns per MAC, one thread, median of 5 runs; and the same for one X25519 shared secret.
/// </summary>
internal static class MacBench
{
    internal static int Run(int calls)
    {
        var key = new byte[32];
        var data = new byte[116];
        Random.Shared.NextBytes(key);
        Random.Shared.NextBytes(data);
        Span<byte> mac = stackalloc byte[Blake2s.MacSize];
        for (var i = 0; i < 10_000; i++)
        {
            Blake2s.Mac(key, data, mac);
        }
        var runs = new List<double>();
        for (var r = 0; r < 5; r++)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < calls; i++)
            {
                Blake2s.Mac(key, data, mac);
            }
            runs.Add(clock.Elapsed.TotalNanoseconds / calls);
        }
        runs.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mac1: keyed BLAKE2s-128 over 116 bytes: {runs[2]:F0} ns per MAC (median of 5 × {calls}; range {runs[0]:F0}–{runs[4]:F0})"));

        // The Diffie-Hellman an initiation costs a responder before it knows the sender (one X25519 per
        // initiation whose static key does not decrypt: what a valid-mac1 flood below the load mark costs).
        var priv = new byte[32];
        var pub = new byte[32];
        var shared = new byte[32];
        X25519.GeneratePrivateKey(priv);
        X25519.GeneratePrivateKey(shared);
        X25519.DerivePublicKey(shared, pub);
        var dh = new List<double>();
        var n = Math.Max(1, calls / 100);
        for (var r = 0; r < 5; r++)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < n; i++)
            {
                X25519.TrySharedSecret(priv, pub, shared);
            }
            dh.Add(clock.Elapsed.TotalNanoseconds / n);
        }
        dh.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"x25519: one shared secret from raw key bytes: {dh[2] / 1000:F1} µs (median of 5 × {n}; range {dh[0] / 1000:F1}–{dh[4] / 1000:F1})"));
        using var imported = new X25519PrivateKey(priv);
        dh.Clear();
        for (var r = 0; r < 5; r++)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < n; i++)
            {
                imported.TrySharedSecret(pub, shared);
            }
            dh.Add(clock.Elapsed.TotalNanoseconds / n);
        }
        dh.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"x25519: one shared secret with an imported key (an interface's static key): {dh[2] / 1000:F1} µs (median of 5 × {n}; range {dh[0] / 1000:F1}–{dh[4] / 1000:F1})"));
        return 0;
    }
}
