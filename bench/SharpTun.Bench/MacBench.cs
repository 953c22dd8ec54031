using System.Diagnostics;
using System.Globalization;
using SharpTun.Crypto;

namespace SharpTun.Bench;

/// <summary>
/// What one handshake message's mac1 check costs (keyed BLAKE2s-128 over the 116 bytes in front of mac1 of an
/// initiation): the work every valid-looking initiation of a flood costs the socket reader before anything else.
/// Prints ns per MAC, one thread, median of 5 runs.
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
        return 0;
    }
}
