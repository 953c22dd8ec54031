using System.Buffers.Binary;

namespace SharpTun.Packets.Offload;

/// <summary>The merge rules: which packets are candidates, which flow they belong to, and when one may follow another.</summary>
public sealed partial class PacketCoalescer
{
    private const byte ProtocolTcp = 6, ProtocolUdp = 17;
    private const byte TcpFin = 0x01, TcpSyn = 0x02, TcpRst = 0x04, TcpPsh = 0x08, TcpAck = 0x10, TcpUrg = 0x20, TcpCwr = 0x80;

    /// <summary>Sorts <paramref name="p"/> into candidate, barrier (flow known, not mergeable) or other.</summary>
    private CoalesceCandidate Classify(ReadOnlySpan<byte> p)
    {
        var c = default(CoalesceCandidate);
        if (IpLayout.Parse(p, refuseFragments: false, out var version, out var l4, out var protocol) != OffloadError.None || l4 + 8 > p.Length)
        {
            // Broken lengths or headers: it may still be one of a flow's packets, so it must not
            // be overtaken by that flow's later segments.
            if ((p.Length >= 20 && p[0] >> 4 == 4) || (p.Length >= 40 && p[0] >> 4 == 6))
            {
                c.Kind = CandidateKind.Malformed;
                c.Version = p[0] >> 4;
            }
            return c;
        }
        if (protocol != ProtocolTcp && protocol != ProtocolUdp)
        {
            return c;
        }
        if (protocol == ProtocolUdp && !CoalescesUdp)
        {
            return c;
        }
        c.Kind = CandidateKind.Barrier;
        c.IsTcp = protocol == ProtocolTcp;
        c.Version = version;
        c.TransportOffset = l4;
        // Only the plain layouts merge: IPv4 without options, IPv6 without extension headers,
        // unfragmented (the first fragment of a datagram has ports and would look like a flow).
        if (l4 != (version == 4 ? 20 : 40) || (version == 4 && (BinaryPrimitives.ReadUInt16BigEndian(p[6..]) & 0x3FFF) != 0))
        {
            return c;
        }
        if (protocol == ProtocolTcp)
        {
            if (l4 + 20 > p.Length)
            {
                return c;
            }
            var thl = (p[l4 + 12] >> 4) * 4;
            var flags = p[l4 + 13];
            if (thl < 20 || l4 + thl >= p.Length || (flags & TcpAck) == 0 || (flags & (TcpSyn | TcpFin | TcpRst | TcpUrg)) != 0)
            {
                return c;
            }
            c.HeaderLength = l4 + thl;
            c.Sequence = BinaryPrimitives.ReadUInt32BigEndian(p[(l4 + 4)..]);
            c.Flags = flags;
        }
        else
        {
            if (BinaryPrimitives.ReadUInt16BigEndian(p[(l4 + 4)..]) != p.Length - l4 || l4 + 8 >= p.Length
                || (version == 4 && BinaryPrimitives.ReadUInt16BigEndian(p[(l4 + 6)..]) == 0))
            {
                return c;
            }
            c.HeaderLength = l4 + 8;
        }
        if (VerifiesChecksums && !ChecksumsValid(p, version, l4, protocol))
        {
            return c;
        }
        c.Payload = p.Length - c.HeaderLength;
        c.Id = version == 4 ? BinaryPrimitives.ReadUInt16BigEndian(p[4..]) : (ushort)0;
        c.Kind = protocol == ProtocolTcp ? CandidateKind.Tcp : CandidateKind.Udp;
        return c;
    }

    private static bool ChecksumsValid(ReadOnlySpan<byte> p, int version, int l4, byte protocol)
    {
        if (version == 4 && OffloadChecksum.Sum(p[..l4]) != 0xFFFF)
        {
            return false;
        }
        var segment = p[l4..];
        return OffloadChecksum.Sum(segment, IpLayout.PseudoHeader(p, version, protocol, segment.Length)) == 0xFFFF;
    }

    /// <summary>Finishes every open group between the addresses of <paramref name="p"/> (any protocol and ports).</summary>
    private void FinishSameAddresses(ReadOnlySpan<Memory<byte>> outputs, Span<int> sizes, int offset, ReadOnlySpan<byte> p, int version)
    {
        for (var i = _open - 1; i >= 0; i--)
        {
            var g = _groups[i];
            var h = outputs[g.Output].Span[(offset + VnetHeaderSize)..];
            if (g.Version == version && (version == 4 ? p.Slice(12, 8).SequenceEqual(h.Slice(12, 8)) : p.Slice(8, 32).SequenceEqual(h.Slice(8, 32))))
            {
                FinishAt(i, outputs, sizes, offset);
            }
        }
    }

    /// <summary>The open group of the flow of <paramref name="p"/> (same version, addresses, protocol and ports), or -1.</summary>
    private int FindFlow(ReadOnlySpan<Memory<byte>> outputs, int offset, ReadOnlySpan<byte> p, int version, int l4, bool tcp)
    {
        for (var i = 0; i < _open; i++)
        {
            ref readonly var g = ref _groups[i];
            if (g.Version != version || g.IsTcp != tcp)
            {
                continue;
            }
            var h = outputs[g.Output].Span[(offset + VnetHeaderSize)..];
            var same = version == 4
                ? p.Slice(12, 8).SequenceEqual(h.Slice(12, 8))
                : p.Slice(8, 32).SequenceEqual(h.Slice(8, 32));
            if (same && p.Slice(l4, 4).SequenceEqual(h.Slice(g.TransportOffset, 4)))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>
    /// Appends <paramref name="p"/> to group <paramref name="g"/> of its flow when every rule
    /// holds; <paramref name="ends"/> is true when nothing may follow it (PSH, or a short payload).
    /// </summary>
    private bool TryAppend(ref CoalesceGroup g, ReadOnlySpan<Memory<byte>> outputs, int offset, ReadOnlySpan<byte> p, in CoalesceCandidate c, out bool ends)
    {
        ends = false;
        var output = outputs[g.Output].Span[(offset + VnetHeaderSize)..];
        var h = output[..g.HeaderLength];
        if (c.HeaderLength != g.HeaderLength || c.Payload > g.GsoSize || g.Length + c.Payload > g.Capacity)
        {
            return false;
        }
        if (g.Version == 4)
        {
            // TOS, DF (MF and offset are zero in both), TTL; the ID follows the previous one.
            if (p[1] != h[1] || p[6] != h[6] || p[8] != h[8] || c.Id != g.NextId)
            {
                return false;
            }
        }
        else if (!p[..4].SequenceEqual(h[..4]) || p[7] != h[7])
        {
            // Version, traffic class and flow label; hop limit.
            return false;
        }
        var l4 = g.TransportOffset;
        if (g.IsTcp)
        {
            // Flags: CWR only on the first (h), PSH only on the last (p); the rest equal.
            var first = h[l4 + 13];
            if (c.Sequence != g.NextSequence || (c.Flags & TcpCwr) != 0 || (c.Flags & ~TcpPsh) != (first & ~TcpCwr)
                || !p.Slice(l4 + 8, 5).SequenceEqual(h.Slice(l4 + 8, 5))
                || !p.Slice(l4 + 14, 2).SequenceEqual(h.Slice(l4 + 14, 2))
                || !p[(l4 + 18)..c.HeaderLength].SequenceEqual(h[(l4 + 18)..]))
            {
                return false;
            }
        }
        else if (g.Count >= MaxUdpSegments)
        {
            return false;
        }
        p[c.HeaderLength..].CopyTo(output[g.Length..]);
        g.Length += c.Payload;
        g.Count++;
        g.NextSequence += (uint)c.Payload;
        g.NextId++;
        if (g.IsTcp && (c.Flags & TcpPsh) != 0)
        {
            output[l4 + 13] |= TcpPsh;
            ends = true;
        }
        if (c.Payload < g.GsoSize)
        {
            ends = true;
        }
        return true;
    }
}
