using System.Net;
using System.Text;
using SharpTun.WireGuard;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>
/// Issue 20: what an idle peer costs in managed memory (GC.GetTotalMemory after a full collection, before and after
/// 20,000 peers with one /32 each, applied as one UAPI set as <c>wg setconf</c> sends it): everything the interface,
/// the protocol core, the directory, the allowed-IPs trie and the timers keep per peer (2,225 bytes before issue 20's
/// lazy state, ~1,100 after, ~1,020 with the handshake queue made on first use and the one-prefix index). Alone in its
/// collection, run after the parallel ones: other tests allocating meanwhile
/// would move the process-wide figure.
/// </summary>
[Collection(Name)]
public sealed class PeerMemoryTests(ITestOutputHelper output)
{
    private static readonly int Peers = int.Parse(Environment.GetEnvironmentVariable("PEER_MEMORY_PEERS") ?? "20000", System.Globalization.CultureInfo.InvariantCulture);

    internal const string Name = "peer memory";

    internal static long Live()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    [Fact]
    public void IdlePeer_CostsAtMost1400ManagedBytes()
    {
        using var pair = new FakePair();
        var rng = new Random(20);
        var text = new StringBuilder("set=1\n");
        var key = new byte[32];
        for (var i = 0; i < Peers; i++)
        {
            rng.NextBytes(key);
            text.Append("public_key=").Append(Convert.ToHexStringLower(key)).Append('\n')
                .Append("allowed_ip=").Append(new IPAddress([198, 18, (byte)(i >> 8), (byte)i])).Append("/32\n");
        }
        Assert.True(UapiCodec.TryParseSet(text.Append('\n').ToString(), out var set, out _));
        text = null;
        var before = Live();
        pair.A.Apply(set!);
        set = null;
        var after = Live();
        Assert.Equal(Peers + 1, pair.A.Configure(d => d.PeerCount));
        var perPeer = (after - before) / (double)Peers;
        output.WriteLine($"managed bytes per idle peer: {perPeer:0}");
        var info = GC.GetGCMemoryInfo();
        output.WriteLine($"heap {info.HeapSizeBytes >> 20} MiB, fragmented {info.FragmentedBytes >> 20} MiB, committed {info.TotalCommittedBytes >> 20} MiB, working set {Environment.WorkingSet >> 20} MiB");
        foreach (var g in info.GenerationInfo)
        {
            output.WriteLine($"  gen size after {g.SizeAfterBytes >> 10} KiB, fragmentation after {g.FragmentationAfterBytes >> 10} KiB");
        }
        Assert.InRange(perPeer, 1, 1400);
    }
}

/// <summary>Runs <see cref="PeerMemoryTests"/> by itself.</summary>
[CollectionDefinition(PeerMemoryTests.Name, DisableParallelization = true)]
public sealed class PeerMemoryCollection;
