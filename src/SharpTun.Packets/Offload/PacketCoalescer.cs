using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace SharpTun.Packets.Offload;

/// <summary>
/// The write path of a tun device opened with IFF_VNET_HDR and offloads, like the kernel's GRO:
/// merges consecutive TCP segments (and, when enabled, UDP datagrams) of one flow from a batch
/// of IP packets into super-packets of at most 64 KB with the virtio-net header the kernel
/// needs to treat them as one GSO packet; everything else passes through unchanged behind a
/// NONE header. Output <c>j</c> (header first) is written at <c>outputs[j].Span[offset..]</c>
/// and its length, header included, to <c>sizes[j]</c>: ready for <c>IPacketQueue.Write</c>.
/// <para>Merging is only done when splitting the result again (kernel GSO, or
/// <see cref="GsoSplitter"/>) gives back exactly the input packets: same addresses, ports,
/// IPv4 TOS/TTL/DF or IPv6 traffic class/flow label/hop limit; IPv4 IDs incrementing by one;
/// no IPv4 options, IPv6 extension headers or fragments; TCP sequence numbers contiguous,
/// same acknowledgement, window, urgent pointer and option bytes, ACK set, no SYN/FIN/RST/URG,
/// CWR only on the first and PSH only on the last segment; equal payload sizes except a shorter
/// last one; UDP with a checksum (not 0 on IPv4) and at most <see cref="MaxUdpSegments"/>
/// datagrams. With checksum verification on (the default) a packet whose IPv4 header or
/// transport checksum is wrong is never merged (the kernel would recompute, and so hide, it).</para>
/// <para>Not thread-safe: one instance per writing thread. Allocation-free after construction.</para>
/// </summary>
public sealed partial class PacketCoalescer
{
    /// <summary>
    /// Most datagrams in one UDP super-packet. The kernel refuses more than UDP_MAX_SEGMENTS
    /// (64 before Linux 6.6, 128 since) per gso_size in virtio_net_hdr_to_skb; 64 works on both.
    /// </summary>
    public const int MaxUdpSegments = 64;

    /// <summary>Largest super-packet: the IPv4 total length / IPv6 payload length limit.</summary>
    public const int MaxSuperPacket = 65535;

    /// <summary>Flows merged at the same time in one batch; the oldest is finished when a new one does not fit.</summary>
    private const int MaxOpenGroups = 16;

    private readonly CoalesceGroup[] _groups = new CoalesceGroup[MaxOpenGroups];
    private readonly bool _bigEndian;
    private int _open;

    /// <summary>Creates a coalescer writing <paramref name="vnetHeaderSize"/>-byte headers (10, or 12 after TUNSETVNETHDRSZ 12).</summary>
    /// <param name="vnetHeaderSize">Bytes of virtio-net header in front of each output (<c>IPacketQueue.VnetHeaderSize</c>).</param>
    /// <param name="coalesceUdp">Merge UDP datagrams into UDP_L4 super-packets: only when the device accepted TUN_F_USO4|TUN_F_USO6.</param>
    /// <param name="verifyChecksums">Verify IPv4 header and TCP/UDP checksums before merging (off only for input already verified, e.g. by a test).</param>
    /// <param name="bigEndian">Write header fields big-endian (only for a device set with TUNSETVNETBE).</param>
    public PacketCoalescer(int vnetHeaderSize = VirtioNetHeader.Size, bool coalesceUdp = false, bool verifyChecksums = true, bool bigEndian = false)
    {
        if (vnetHeaderSize is not (VirtioNetHeader.Size or VirtioNetHeader.MergeableSize))
        {
            throw new ArgumentOutOfRangeException(nameof(vnetHeaderSize), vnetHeaderSize, "a virtio-net header is 10 or 12 bytes");
        }
        VnetHeaderSize = vnetHeaderSize;
        CoalescesUdp = coalesceUdp;
        VerifiesChecksums = verifyChecksums;
        _bigEndian = bigEndian;
    }

    /// <summary>Bytes of virtio-net header written in front of each output.</summary>
    public int VnetHeaderSize { get; }

    /// <summary>Whether UDP datagrams are merged (UDP_L4).</summary>
    public bool CoalescesUdp { get; }

    /// <summary>Whether checksums are verified before merging.</summary>
    public bool VerifiesChecksums { get; }

    /// <summary>Input packets seen.</summary>
    public long PacketsIn { get; private set; }

    /// <summary>Super-packets (outputs with a GSO header) produced.</summary>
    public long SuperPackets { get; private set; }

    /// <summary>Input packets that went into a super-packet.</summary>
    public long PacketsCoalesced { get; private set; }

    /// <summary>Input packets dropped because their output buffer could not hold them (larger than the buffers the caller sized).</summary>
    public long PacketsDropped { get; private set; }

    /// <summary>
    /// Coalesces <paramref name="packets"/> (each exactly one IP packet) into
    /// <paramref name="outputs"/>; returns how many outputs were written. Needs at least as
    /// many outputs and sizes as packets; each output should hold <c>offset + VnetHeaderSize +
    /// 65535</c> bytes (a smaller one limits its super-packet; a packet that does not fit is dropped
    /// and counted in <see cref="PacketsDropped"/>).
    /// Packets of one flow keep their order; outputs are in the order their first packet came.
    /// </summary>
    public int Coalesce(ReadOnlySpan<Memory<byte>> packets, ReadOnlySpan<Memory<byte>> outputs, Span<int> sizes, int offset)
    {
        if (outputs.Length < packets.Length || sizes.Length < packets.Length || offset < 0)
        {
            ThrowTooFewOutputs(packets.Length, outputs.Length, sizes.Length, offset);
        }
        _open = 0;
        var n = 0;
        for (var i = 0; i < packets.Length; i++)
        {
            var p = packets[i].Span;
            var c = Classify(p);
            if (c.Kind is CandidateKind.Tcp or CandidateKind.Udp)
            {
                var g = FindFlow(outputs, offset, p, c.Version, c.TransportOffset, c.IsTcp);
                if (g >= 0)
                {
                    if (TryAppend(ref _groups[g], outputs, offset, p, c, out var ends))
                    {
                        if (ends)
                        {
                            FinishAt(g, outputs, sizes, offset);
                        }
                        continue;
                    }
                    FinishAt(g, outputs, sizes, offset);
                }
                if (_open == MaxOpenGroups)
                {
                    FinishAt(0, outputs, sizes, offset);
                }
                if (!PassThrough(outputs[n].Span, offset, p))
                {
                    continue;
                }
                if (Open(ref _groups[_open], n, outputs, offset, p, c))
                {
                    _open++;
                }
                else
                {
                    sizes[n] = VnetHeaderSize + p.Length;
                }
                n++;
                continue;
            }
            if (c.Kind == CandidateKind.Barrier)
            {
                var g = FindFlow(outputs, offset, p, c.Version, c.TransportOffset, c.IsTcp);
                if (g >= 0)
                {
                    FinishAt(g, outputs, sizes, offset);
                }
            }
            else if (c.Kind == CandidateKind.Malformed)
            {
                FinishSameAddresses(outputs, sizes, offset, p, c.Version);
            }
            if (PassThrough(outputs[n].Span, offset, p))
            {
                sizes[n] = VnetHeaderSize + p.Length;
                n++;
            }
        }
        while (_open > 0)
        {
            FinishAt(0, outputs, sizes, offset);
        }
        PacketsIn += packets.Length;
        return n;
    }

    /// <summary>
    /// Like <see cref="Coalesce(ReadOnlySpan{Memory{byte}}, ReadOnlySpan{Memory{byte}}, Span{int}, int)"/>, and also sets
    /// <c>written[j] = outputs[j][..(offset + sizes[j])]</c>, so that <c>IPacketQueue.Write(written[..count], offset)</c>
    /// writes the result as it is. <paramref name="written"/> needs as many elements as there are packets.
    /// </summary>
    public int Coalesce(ReadOnlySpan<Memory<byte>> packets, ReadOnlySpan<Memory<byte>> outputs, Span<int> sizes, int offset, Span<Memory<byte>> written)
    {
        if (written.Length < packets.Length)
        {
            ThrowTooFewOutputs(packets.Length, written.Length, sizes.Length, offset);
        }
        var n = Coalesce(packets, outputs, sizes, offset);
        for (var j = 0; j < n; j++)
        {
            written[j] = outputs[j][..(offset + sizes[j])];
        }
        return n;
    }

    /// <summary>Copies <paramref name="p"/> behind a NONE header; false (nothing written) when the output cannot hold it.</summary>
    private bool PassThrough(Span<byte> output, int offset, ReadOnlySpan<byte> p)
    {
        if (output.Length - offset - VnetHeaderSize < p.Length)
        {
            PacketsDropped++;
            return false;
        }
        default(VirtioNetHeader).TryWrite(output[offset..], VnetHeaderSize, _bigEndian);
        p.CopyTo(output[(offset + VnetHeaderSize)..]);
        return true;
    }

    /// <summary>Starts a group in output <paramref name="slot"/>; false when <paramref name="p"/> ends it at once (then it was written as a plain packet).</summary>
    private bool Open(ref CoalesceGroup g, int slot, ReadOnlySpan<Memory<byte>> outputs, int offset, ReadOnlySpan<byte> p, in CoalesceCandidate c)
    {
        var output = outputs[slot].Span;
        var tcp = c.Kind == CandidateKind.Tcp;
        if (tcp && (c.Flags & TcpPsh) != 0)
        {
            return false;
        }
        g = new CoalesceGroup
        {
            Output = slot,
            IsTcp = tcp,
            Version = c.Version,
            TransportOffset = c.TransportOffset,
            HeaderLength = c.HeaderLength,
            Length = p.Length,
            Capacity = Math.Min(MaxSuperPacket, output.Length - offset - VnetHeaderSize),
            GsoSize = c.Payload,
            Count = 1,
            NextSequence = c.Sequence + (uint)c.Payload,
            NextId = (ushort)(c.Id + 1),
        };
        return true;
    }

    /// <summary>Writes the header (and fixes the IP/transport fields) of open group <paramref name="index"/> and closes it.</summary>
    private void FinishAt(int index, ReadOnlySpan<Memory<byte>> outputs, Span<int> sizes, int offset)
    {
        ref var g = ref _groups[index];
        var output = outputs[g.Output].Span[offset..];
        sizes[g.Output] = VnetHeaderSize + g.Length;
        if (g.Count > 1)
        {
            var packet = output.Slice(VnetHeaderSize, g.Length);
            WriteSuperPacketFields(g, packet);
            VirtioGsoType type;
            if (g.IsTcp)
            {
                type = g.Version == 4 ? VirtioGsoType.TcpV4 : VirtioGsoType.TcpV6;
                if ((packet[g.TransportOffset + 13] & TcpCwr) != 0)
                {
                    type |= VirtioGsoType.Ecn;
                }
            }
            else
            {
                type = VirtioGsoType.UdpL4;
            }
            new VirtioNetHeader(VirtioNetFlags.NeedsChecksum, type, (ushort)g.HeaderLength, (ushort)g.GsoSize,
                (ushort)g.TransportOffset, (ushort)(g.IsTcp ? 16 : 6)).TryWrite(output, VnetHeaderSize, _bigEndian);
            SuperPackets++;
            PacketsCoalesced += g.Count;
        }
        _open--;
        for (var i = index; i < _open; i++)
        {
            _groups[i] = _groups[i + 1];
        }
    }

    /// <summary>IP lengths and header checksum, UDP length, and the transport checksum field set to the folded pseudo-header sum (CHECKSUM_PARTIAL).</summary>
    private static void WriteSuperPacketFields(in CoalesceGroup g, Span<byte> packet)
    {
        if (g.Version == 4)
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet[2..], (ushort)g.Length);
            packet[10] = packet[11] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(packet[10..], OffloadChecksum.Compute(packet[..20]));
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet[4..], (ushort)(g.Length - 40));
        }
        var transportLength = g.Length - g.TransportOffset;
        var transport = packet[g.TransportOffset..];
        if (!g.IsTcp)
        {
            BinaryPrimitives.WriteUInt16BigEndian(transport[4..], (ushort)transportLength);
        }
        var pseudo = IpLayout.PseudoHeader(packet, g.Version, g.IsTcp ? ProtocolTcp : ProtocolUdp, transportLength);
        BinaryPrimitives.WriteUInt16BigEndian(transport[(g.IsTcp ? 16 : 6)..], (ushort)OffloadChecksum.Fold(pseudo));
    }

    [DoesNotReturn]
    private static void ThrowTooFewOutputs(int packets, int outputs, int sizes, int offset) =>
        throw new ArgumentException($"coalescing {packets} packets needs as many output buffers and sizes at offset >= 0; got {outputs} buffers, {sizes} sizes, offset {offset}");

}
