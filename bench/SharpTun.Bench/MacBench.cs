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
        var mac = new byte[Blake2s.MacSize];
        Time("mac1: keyed BLAKE2s-128 over 116 bytes", "ns per MAC", 1, calls, () => Blake2s.Mac(key, data, mac));

        // The Diffie-Hellman an initiation costs a responder before it knows the sender (one X25519 per
        // initiation whose static key does not decrypt: what a valid-mac1 flood below the load mark costs).
        var priv = new byte[32];
        var pub = new byte[32];
        var shared = new byte[32];
        X25519.GeneratePrivateKey(priv);
        X25519.GeneratePrivateKey(shared);
        X25519.DerivePublicKey(shared, pub);
        var n = Math.Max(1, calls / 100);
        Time("x25519: one shared secret from raw key bytes", "µs", 1000, n, () => X25519.TrySharedSecret(priv, pub, shared));
        using var imported = new X25519PrivateKey(priv);
        Time("x25519: one shared secret with an imported key (an interface's static key)", "µs", 1000, n, () => imported.TrySharedSecret(pub, shared));
        return 0;
    }

    /// <summary>Warms <paramref name="op"/> up, then prints the median and range of 5 runs of <paramref name="calls"/> calls, per call in ns / <paramref name="scale"/>.</summary>
    private static void Time(string what, string unit, double scale, int calls, Action op)
    {
        for (var i = 0; i < Math.Min(calls, 10_000); i++)
        {
            op();
        }
        var runs = new List<double>();
        for (var r = 0; r < 5; r++)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < calls; i++)
            {
                op();
            }
            runs.Add(clock.Elapsed.TotalNanoseconds / calls / scale);
        }
        runs.Sort();
        var format = scale == 1 ? "F0" : "F1";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {runs[2].ToString(format, CultureInfo.InvariantCulture)} {unit} (median of 5 × {calls}; range {runs[0].ToString(format, CultureInfo.InvariantCulture)}–{runs[4].ToString(format, CultureInfo.InvariantCulture)})"));
    }
}
