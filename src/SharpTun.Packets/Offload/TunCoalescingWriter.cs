using SharpTun.IO;

namespace SharpTun.Packets.Offload;

/// <summary>
/// The write side of a tun device with a virtio-net header, for every engine (the relay and
/// WireGuard): merges a batch of IP packets (<see cref="PacketCoalescer"/>, GRO in user space)
/// into super-packets of up to 64 KB behind their header and writes them, so the kernel takes a
/// TCP stream's segments in one write, not dozens; a packet that merges with nothing is copied
/// behind a plain header. UDP datagrams are merged only when the device took
/// <see cref="PacketOffloads.UdpSegmentation"/> (the kernel refuses UDP_L4 headers it was not offered).
/// <para>The batch goes in runs of <see cref="Run"/> packets (about one 64 KB super-packet of
/// 1448-byte segments): the output buffers, 64 KB each, stay few, so the memory touched under load
/// stays small. A refused write loses the packets merged into it; which ones is not known, so the
/// result counts each refused output once (<see cref="TunWriteResult.OutputsRefused"/>).</para>
/// <para>Not thread-safe: one writer per writing thread. Buffers are allocated once; a write allocates nothing.</para>
/// </summary>
public sealed class TunCoalescingWriter
{
    /// <summary>Packets merged at a time: about one 64 KB super-packet of 1448-byte segments.</summary>
    public const int Run = 48;

    private readonly IPacketQueue _device;
    private readonly PacketCoalescer _coalescer;
    private readonly Memory<byte>[] _packets = new Memory<byte>[Run];
    private readonly Memory<byte>[] _outputs = new Memory<byte>[Run];
    private readonly int[] _outputSizes = new int[Run];
    private readonly Memory<byte>[] _written = new Memory<byte>[Run];

    /// <summary>Creates a writer to <paramref name="device"/>, which must have a virtio-net header.</summary>
    /// <param name="device">The tun queue written to.</param>
    /// <param name="verifyChecksums">Verify checksums before merging (see <see cref="PacketCoalescer"/>); off only for input already verified.</param>
    public TunCoalescingWriter(IPacketQueue device, bool verifyChecksums = true)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.VnetHeaderSize == 0)
        {
            throw new ArgumentException($"device '{device.Name}' has no virtio-net header: there is nothing to coalesce into", nameof(device));
        }
        _device = device;
        _coalescer = new PacketCoalescer(device.VnetHeaderSize, coalesceUdp: (device.Offloads & PacketOffloads.UdpSegmentation) != 0, verifyChecksums);
        var size = device.VnetHeaderSize + PacketCoalescer.MaxSuperPacket;
        var stride = (size + 15) & ~15;
        var block = GC.AllocateUninitializedArray<byte>(Run * stride, pinned: true);
        for (var i = 0; i < Run; i++)
        {
            _outputs[i] = block.AsMemory(i * stride, size);
        }
    }

    /// <summary>Whether UDP datagrams are merged.</summary>
    public bool CoalescesUdp => _coalescer.CoalescesUdp;

    /// <summary>
    /// Coalesces and writes <paramref name="packets"/> (each <c>packets[i].Span[offset..]</c> one IP packet),
    /// packets of one flow in order; returns what went in and what was lost.
    /// </summary>
    public TunWriteResult Write(ReadOnlySpan<Memory<byte>> packets, int offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var total = default(TunWriteResult);
        for (var start = 0; start < packets.Length; start += Run)
        {
            total += WriteRun(packets.Slice(start, Math.Min(Run, packets.Length - start)), offset);
        }
        return total;
    }

    private TunWriteResult WriteRun(ReadOnlySpan<Memory<byte>> packets, int offset)
    {
        long bytes = 0;
        for (var i = 0; i < packets.Length; i++)
        {
            _packets[i] = packets[i][offset..];
            // The coalescer drops exactly the packets longer than an output holds (see tooBig).
            if (_packets[i].Length <= PacketCoalescer.MaxSuperPacket)
            {
                bytes += _packets[i].Length;
            }
        }
        var c = _coalescer;
        var superBefore = c.SuperPackets;
        var mergedBefore = c.PacketsCoalesced;
        var droppedBefore = c.PacketsDropped;
        var outputs = c.Coalesce(_packets.AsSpan(0, packets.Length), _outputs, _outputSizes, 0, _written);
        // A packet too large for an output (longer than 64 KB) is dropped by the coalescer.
        var tooBig = (int)(c.PacketsDropped - droppedBefore);
        var accepted = outputs == 0 ? 0 : _device.Write(_written.AsSpan(0, outputs), 0);
        int delivered;
        if (accepted == outputs)
        {
            // Every output went in: so did every packet the coalescer kept.
            delivered = packets.Length - tooBig;
        }
        else
        {
            // The device says how many it took, not which: the first ones, each counted as one packet.
            delivered = accepted;
            bytes = 0;
            for (var j = 0; j < accepted; j++)
            {
                bytes += _outputSizes[j] - c.VnetHeaderSize;
            }
        }
        _packets.AsSpan(0, packets.Length).Clear();
        return new TunWriteResult(delivered, bytes, outputs, outputs - accepted, tooBig, (int)(c.SuperPackets - superBefore), (int)(c.PacketsCoalesced - mergedBefore));
    }
}
