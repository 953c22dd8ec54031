using System.Globalization;
using System.Runtime;

namespace SharpTun.WireGuard.Host;

public sealed partial class WireGuardInterface
{
    /// <summary>A set with at least this many peer sections (or replace_peers) is followed by a compacting collection.</summary>
    internal const int CompactAfterPeers = 256;

    /// <summary>How long after the last large set the collection runs: a burst of sets (syncconf, a script) costs one.</summary>
    internal static readonly TimeSpan CompactDelay = TimeSpan.FromSeconds(1);

    private Timer? _compactTimer;

    /// <summary>
    /// Issue 20: a <c>wg setconf</c> of 100,000 peers leaves hundreds of megabytes of garbage (the request text, its
    /// parsed form, log lines) in a heap that then sits idle: no allocation means no collection, so the process keeps
    /// it resident for good (7 KiB of RSS per peer against ~1 KiB live). After a large set, and once the sets stop for
    /// <see cref="CompactDelay"/>, one full blocking collection compacts the heap (the large-object heap too) and
    /// returns the freed memory to the system (<see cref="GCCollectionMode.Aggressive"/> decommits it). It pauses the
    /// pumps for that collection, tens to hundreds of milliseconds at 100,000 peers, once per configuration burst.
    /// </summary>
    internal void CompactSoon()
    {
        lock (_gate)
        {
            if (Volatile.Read(ref _stopping) != 0)
            {
                return;
            }
            _compactTimer ??= new Timer(static self => ((WireGuardInterface)self!).Compact(), this, Timeout.Infinite, Timeout.Infinite);
            _compactTimer.Change(CompactDelay, Timeout.InfiniteTimeSpan);
        }
    }

    private void Compact()
    {
        if (Volatile.Read(ref _stopping) != 0)
        {
            return;
        }
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (_log.IsEnabled(HostLogLevel.Debug))
        {
            var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
            _log.Debug(Name, string.Create(CultureInfo.InvariantCulture,
                $"compacting collection: {info.HeapSizeBytes / 1024} KiB managed heap, {info.TotalCommittedBytes / 1024} KiB committed, {info.PauseDurations[0].TotalMilliseconds:0} ms pause"));
        }
    }
}
