using System.Buffers.Binary;

namespace SharpTun.Packets;

/// <summary>
/// Which packets carry DNS and which message their Info shows: UDP 53 (DNS) and 5353 (MDNS) datagrams, and
/// TCP 53/5353 segments, whose length-prefixed messages are reassembled per direction when a
/// <see cref="TcpSequenceTracker"/> is given (<see cref="DnsTcpStreams"/>).
/// </summary>
public static partial class PacketSummary
{
    private enum DnsCarrier
    {
        None,
        Dns,
        Mdns,
        /// <summary>TCP to or from a DNS port whose payload does not end a whole length-prefixed message.</summary>
        TcpPart,
    }

    private static bool OnPort(ushort source, ushort destination, ushort port) => source == port || destination == port;

    /// <summary>
    /// Whether the packet is DNS, and which messages its Info shows: the one a TCP segment completes and the
    /// last one it then holds whole (tshark shows both, back to back). Called once per packet: with a
    /// tracker, a TCP segment also advances its direction's reassembly.
    /// </summary>
    private static DnsCarrier DnsOf(scoped in DecodedPacket p, TcpSequenceTracker? tracker, out DnsSegment parts,
        out ReadOnlySpan<byte> completed, out ReadOnlySpan<byte> last)
    {
        parts = DnsSegment.None;
        completed = last = default;
        if (p.IsMalformed)
        {
            return DnsCarrier.None;
        }
        if (p.Transport == TransportLayer.Udp && !p.Udp.Payload.IsEmpty)
        {
            parts = DnsSegment.Whole;
            last = p.Udp.Payload;
            return OnPort(p.Udp.SourcePort, p.Udp.DestinationPort, DnsPort) ? DnsCarrier.Dns
                : OnPort(p.Udp.SourcePort, p.Udp.DestinationPort, MdnsPort) ? DnsCarrier.Mdns
                : DnsCarrier.None;
        }
        if (p.Transport == TransportLayer.Tcp && !p.Tcp.Payload.IsEmpty
            && (OnPort(p.Tcp.SourcePort, p.Tcp.DestinationPort, DnsPort) || OnPort(p.Tcp.SourcePort, p.Tcp.DestinationPort, MdnsPort)))
        {
            parts = tracker is not null ? tracker.FeedDns(p, out completed, out last)
                : LastTcpMessage(p.Tcp.Payload, out last) ? DnsSegment.Whole : DnsSegment.None;
            // The first bytes finish a message cut by a gap: tshark names the segment TCP, then any whole message.
            return (parts & DnsSegment.GapPart) == 0 && (parts & (DnsSegment.Completed | DnsSegment.Whole)) != 0 ? DnsCarrier.Dns : DnsCarrier.TcpPart;
        }
        return DnsCarrier.None;
    }

    private static void WriteDnsParts(ref CharWriter w, DnsSegment parts, ReadOnlySpan<byte> completed, ReadOnlySpan<byte> last, bool mdns)
    {
        if ((parts & DnsSegment.Completed) != 0)
        {
            WriteDns(ref w, completed, mdns);
        }
        if ((parts & DnsSegment.Whole) != 0)
        {
            if (w.Length > DnsLineBudget)
            {
                w.Append(" ...");
                return;
            }
            WriteDns(ref w, last, mdns);
        }
    }

    /// <summary>
    /// DNS over TCP (RFC 1035 §4.2.2): each message follows its 2-byte length. Finds the last message the
    /// segment holds whole, read from the segment's start (tshark's Info shows the last one of a segment);
    /// false when not even the first is whole. Without a tracker (no reassembly) a segment is taken to
    /// start at a message boundary, as tshark takes the first segment it sees of a connection.
    /// </summary>
    private static bool LastTcpMessage(ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> message)
    {
        message = default;
        var found = false;
        while (payload.Length >= 2)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(payload);
            if (2 + length > payload.Length)
            {
                break;
            }
            message = payload.Slice(2, length);
            found = true;
            payload = payload[(2 + length)..];
        }
        return found;
    }
}
