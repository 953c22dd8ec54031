using System.Buffers.Binary;

namespace SharpTun.Packets;

public static partial class PacketSummary
{
    private static void WriteTcp(ref CharWriter w, scoped in DecodedPacket p, TcpSequenceTracker? tracker)
    {
        var tcp = p.Tcp;
        w.Append(tcp.SourcePort);
        w.Append(" → ");
        w.Append(tcp.DestinationPort);
        w.Append(" [");
        var flags = tcp.Flags;
        var first = true;
        AppendFlag(ref w, (flags & TcpFlags.Fin) != 0, "FIN", ref first);
        AppendFlag(ref w, (flags & TcpFlags.Syn) != 0, "SYN", ref first);
        AppendFlag(ref w, (flags & TcpFlags.Rst) != 0, "RST", ref first);
        AppendFlag(ref w, (flags & TcpFlags.Psh) != 0, "PSH", ref first);
        AppendFlag(ref w, (flags & TcpFlags.Ack) != 0, "ACK", ref first);
        AppendFlag(ref w, (flags & TcpFlags.Urg) != 0, "URG", ref first);
        AppendFlag(ref w, (flags & TcpFlags.Ece) != 0, "ECE", ref first);
        AppendFlag(ref w, (flags & TcpFlags.Cwr) != 0, "CWR", ref first);
        AppendFlag(ref w, (flags & TcpFlags.Ns) != 0, "AE", ref first);
        if (first)
        {
            w.Append("<None>");
        }
        w.Append("] Seq=");
        var seq = tcp.SequenceNumber;
        var ack = tcp.AcknowledgmentNumber;
        tracker?.Relativize(p, ref seq, ref ack);
        w.Append(seq);
        if ((flags & TcpFlags.Ack) != 0)
        {
            w.Append(" Ack=");
            w.Append(ack);
        }
        w.Append(" Win=");
        w.Append(tcp.Window);
        if ((flags & TcpFlags.Urg) != 0)
        {
            w.Append(" Urg=");
            w.Append(tcp.UrgentPointer);
        }
        w.Append(" Len=");
        w.Append(tcp.Payload.Length);
        foreach (var option in tcp.EnumerateOptions())
        {
            switch (option.Kind)
            {
                case TcpOption.MaximumSegmentSize when option.Data.Length == 2:
                    w.Append(" MSS=");
                    w.Append(option.MssValue);
                    break;
                case TcpOption.SackPermitted:
                    w.Append(" SACK_PERM");
                    break;
                case TcpOption.Timestamps when option.Data.Length == 8:
                    w.Append(" TSval=");
                    w.Append(BinaryPrimitives.ReadUInt32BigEndian(option.Data));
                    w.Append(" TSecr=");
                    w.Append(BinaryPrimitives.ReadUInt32BigEndian(option.Data[4..]));
                    break;
                case TcpOption.WindowScale when option.Data.Length == 1:
                    // tshark shows the multiplier, 2^shift (shift is at most 14, RFC 7323).
                    w.Append(" WS=");
                    w.Append(1L << Math.Min((int)option.Data[0], 14));
                    break;
                case TcpOption.Sack:
                    w.Append(" SACK");
                    break;
            }
        }
    }
}
