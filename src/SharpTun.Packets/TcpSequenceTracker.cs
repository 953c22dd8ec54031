namespace SharpTun.Packets;

/// <summary>
/// Remembers the first sequence number seen in each direction of a TCP connection so summaries
/// can show relative numbers (Seq=0 on a SYN, Ack=1 on its SYN-ACK; Seq=1 and Ack=1 on the first segment
/// of a connection joined mid-stream), as tshark does. A fixed
/// direct-mapped table: no allocation after construction; a colliding flow just replaces the old one.
/// It also carries DNS messages over TCP across segments (<see cref="DnsTcpStreams"/>: pooled, bounded
/// buffers), so the segment that completes one is summarized as DNS, as tshark's reassembly does.
/// Not thread-safe.
/// </summary>
public sealed class TcpSequenceTracker
{
    private readonly ulong[] _keys;
    private readonly uint[] _bases;
    private DnsTcpStreams? _dns;

    /// <summary>Creates a table with <paramref name="slots"/> directions (rounded up to a power of two).</summary>
    public TcpSequenceTracker(int slots = 1024)
    {
        var n = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, slots));
        _keys = new ulong[n];
        _bases = new uint[n];
    }

    /// <summary>Replaces absolute <paramref name="seq"/>/<paramref name="ack"/> by numbers relative to each direction's first sequence number.</summary>
    public void Relativize(scoped in DecodedPacket packet, ref uint seq, ref uint ack)
    {
        if (packet.Transport != TransportLayer.Tcp)
        {
            return;
        }
        var tcp = packet.Tcp;
        var forward = Key(packet.SourceAddress, packet.DestinationAddress, tcp.SourcePort, tcp.DestinationPort);
        var backward = Key(packet.DestinationAddress, packet.SourceAddress, tcp.DestinationPort, tcp.SourcePort);
        var slot = (int)(forward & (ulong)(_keys.Length - 1));
        var syn = (tcp.Flags & TcpFlags.Syn) != 0;
        if (_keys[slot] != forward || syn)
        {
            // Joined mid-stream (no SYN seen), tshark takes the segment before this one as the SYN: Seq=1.
            _keys[slot] = forward;
            _bases[slot] = syn ? seq : seq - 1;
        }
        seq -= _bases[slot];
        var back = (int)(backward & (ulong)(_keys.Length - 1));
        if (_keys[back] != backward && (tcp.Flags & TcpFlags.Ack) != 0 && !syn)
        {
            // Likewise for the other direction: what this segment acknowledges is its byte 1.
            _keys[back] = backward;
            _bases[back] = ack - 1;
        }
        if (_keys[back] == backward)
        {
            ack -= _bases[back];
        }
    }

    /// <summary>Feeds a DNS-port segment with a payload (see <see cref="DnsTcpStreams.Feed"/>).</summary>
    internal DnsSegment FeedDns(scoped in DecodedPacket packet, out ReadOnlySpan<byte> completed, out ReadOnlySpan<byte> last)
    {
        var tcp = packet.Tcp;
        _dns ??= new DnsTcpStreams();
        return _dns.Feed(Key(packet.SourceAddress, packet.DestinationAddress, tcp.SourcePort, tcp.DestinationPort), tcp.SequenceNumber, tcp.Payload,
            out completed, out last);
    }

    private static ulong Key(ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, ushort sourcePort, ushort destinationPort)
    {
        // FNV-1a (64-bit) over the direction's 4-tuple; zero marks an empty slot.
        var h = 14695981039346656037UL;
        h = Mix(h, source);
        h = Mix(h, destination);
        h = (h ^ sourcePort) * 1099511628211UL;
        h = (h ^ destinationPort) * 1099511628211UL;
        return h | 1;
    }

    private static ulong Mix(ulong h, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            h = (h ^ b) * 1099511628211UL;
        }
        return h;
    }
}
