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

    /// <summary>
    /// The UDP socket's GSO/GRO counters (<see cref="IDatagramOffloadStatistics"/>), or null when the
    /// bind has none (a fake, or a bind without offloads). Read at the time of the call.
    /// </summary>
    public IDatagramOffloadStatistics? Udp => _udp?.Invoke();

    private Func<IDatagramOffloadStatistics?>? _udp;

    internal void UseUdp(Func<IDatagramOffloadStatistics?> udp) => _udp = udp;

    /// <summary>The status lines (<c>offload_*=…</c>) of <see cref="StatusText"/>.</summary>
    internal void Format(Action<string, object> line)
    {
        line("offload_tun", Enabled == PacketOffloads.None ? "none" : Names(Enabled));
        line("offload_tun_super_packets_split", SuperPacketsRead);
        line("offload_tun_segments_split", SegmentsSplit);
        line("offload_tun_super_packets_written", SuperPacketsWritten);
        line("offload_tun_packets_coalesced", PacketsCoalesced);
        line("offload_tun_refused", Errors.Total);
        if (Udp is { } udp)
        {
            line("offload_udp_gso", udp.GsoEnabled ? 1 : 0);
            line("offload_udp_gso_sends", udp.GsoSends);
            line("offload_udp_gso_segments", udp.GsoSegments);
            line("offload_udp_gro", udp.GroEnabled ? 1 : 0);
            line("offload_udp_gro_receives", udp.GroReceives);
            line("offload_udp_gro_segments", udp.GroSegments);
            line("offload_udp_send_calls", udp.SendCalls);
            line("offload_udp_receive_calls", udp.ReceiveCalls);
        }
    }

    /// <summary>"checksum,tcp_segmentation,udp_segmentation" (what <c>offload_tun</c> shows).</summary>
    internal static string Names(PacketOffloads offloads)
    {
        var names = new List<string>(3);
        if ((offloads & PacketOffloads.Checksum) != 0)
        {
            names.Add("checksum");
        }
        if ((offloads & PacketOffloads.TcpSegmentation) != 0)
        {
            names.Add("tcp_segmentation");
        }
        if ((offloads & PacketOffloads.UdpSegmentation) != 0)
        {
            names.Add("udp_segmentation");
        }
        return string.Join(',', names);
    }

    internal void Split(int superPackets, int segments)
    {
        Interlocked.Add(ref _superPacketsRead, superPackets);
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
