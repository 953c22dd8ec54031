using SharpTun.Packets.Offload;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// What the tun offloads of one interface did (all zero without offloads): proof that super-packets
/// were split on the way out and coalesced on the way in. Counters are atomic; read from any thread.
/// </summary>
public sealed class OffloadStatistics
{
    private long _superPacketsRead;
    private long _segmentsSplit;
    private long _superPacketsWritten;
    private long _packetsCoalesced;

    internal OffloadStatistics(PacketOffloads enabled, OffloadErrorCounters errors)
    {
        Enabled = enabled;
        Errors = errors;
    }

    /// <summary>The offloads the tun device took.</summary>
    public PacketOffloads Enabled { get; }

    /// <summary>GSO super-packets read from the tun and split.</summary>
    public long SuperPacketsRead => Interlocked.Read(ref _superPacketsRead);

    /// <summary>Wire-sized packets those super-packets were split into.</summary>
    public long SegmentsSplit => Interlocked.Read(ref _segmentsSplit);

    /// <summary>Super-packets written to the tun (coalesced from decrypted packets).</summary>
    public long SuperPacketsWritten => Interlocked.Read(ref _superPacketsWritten);

    /// <summary>Decrypted packets that went into those super-packets.</summary>
    public long PacketsCoalesced => Interlocked.Read(ref _packetsCoalesced);

    /// <summary>Packets from the tun the offload code refused, by cause (also counted as malformed drops).</summary>
    public OffloadErrorCounters Errors { get; }

    internal void SuperPacketRead(int segments)
    {
        Interlocked.Increment(ref _superPacketsRead);
        Interlocked.Add(ref _segmentsSplit, segments);
    }

    internal void Coalesced(long superPackets, long packets)
    {
        if (superPackets != 0)
        {
            Interlocked.Add(ref _superPacketsWritten, superPackets);
            Interlocked.Add(ref _packetsCoalesced, packets);
        }
    }
}
