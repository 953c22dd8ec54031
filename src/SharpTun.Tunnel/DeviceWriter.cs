using SharpTun.IO;
using SharpTun.Packets.Offload;

namespace SharpTun.Tunnel;

/// <summary>
/// The relay's path to the device for packets from the peer: one batched write, counters and the
/// observer. Transports hand it exact slices (packet at <c>offset</c>); nothing is copied on a
/// plain device. On a tun with a virtio-net header and offloads, runs of packets are merged
/// (<see cref="PacketCoalescer"/>, like the kernel's GRO) into super-packets of up to 64 KB behind
/// their virtio-net header, so the kernel takes a TCP stream's segments in one write, not dozens;
/// a packet that merges with nothing is copied behind a plain header.
/// </summary>
internal sealed class DeviceWriter
{
    /// <summary>Packets merged at a time: about one 64 KB super-packet of 1448-byte segments.</summary>
    private const int CoalesceRun = 48;

    private readonly IPacketQueue _device;
    private readonly TunnelCounters _counters;
    private readonly PacketObserver? _observer;
    private readonly PacketCoalescer? _coalescer;
    private readonly Memory<byte>[] _packets = [];
    private readonly Memory<byte>[] _outputs = [];
    private readonly int[] _outputSizes = [];
    private readonly Memory<byte>[] _written = [];

    internal DeviceWriter(IPacketQueue device, TunnelCounters counters, PacketObserver? observer)
    {
        _device = device;
        _counters = counters;
        _observer = observer;
        var vnet = device.VnetHeaderSize;
        if (vnet > 0)
        {
            _coalescer = new PacketCoalescer(vnet, coalesceUdp: (device.Offloads & PacketOffloads.UdpSegmentation) != 0);
            _packets = new Memory<byte>[CoalesceRun];
            _outputSizes = new int[CoalesceRun];
            _written = new Memory<byte>[CoalesceRun];
            _outputs = new Memory<byte>[CoalesceRun];
            var size = vnet + PacketCoalescer.MaxSuperPacket;
            var memory = new byte[CoalesceRun * size];
            for (var i = 0; i < CoalesceRun; i++)
            {
                _outputs[i] = memory.AsMemory(i * size, size);
            }
        }
    }

    /// <summary>True when a write happened since the relay last looked (the device may have an immediate answer queued).</summary>
    internal bool Wrote { get; set; }

    /// <summary>Writes <paramref name="packets"/> (each <c>packets[i].Span[offset..]</c>) to the device.</summary>
    internal void Write(ReadOnlySpan<Memory<byte>> packets, int offset)
    {
        if (packets.IsEmpty)
        {
            return;
        }
        if (_coalescer is null)
        {
            var accepted = _device.Write(packets, offset);
            long bytes = 0;
            // The device reports how many it took, not which: counting the first ones is exact when none was refused.
            for (var i = 0; i < accepted; i++)
            {
                bytes += packets[i].Length - offset;
            }
            _counters.AddNetToDevice(accepted, bytes);
            if (accepted < packets.Length)
            {
                _counters.AddDeviceWriteErrors(packets.Length - accepted);
            }
        }
        else
        {
            for (var start = 0; start < packets.Length; start += CoalesceRun)
            {
                WriteRun(packets.Slice(start, Math.Min(CoalesceRun, packets.Length - start)), offset);
            }
        }
        if (_observer is { } observer)
        {
            for (var i = 0; i < packets.Length; i++)
            {
                observer(PacketDirection.PeerToDevice, packets[i].Span[offset..]);
            }
        }
        Wrote = true;
    }

    private void WriteRun(ReadOnlySpan<Memory<byte>> packets, int offset)
    {
        var coalescer = _coalescer!;
        long bytes = 0;
        for (var i = 0; i < packets.Length; i++)
        {
            _packets[i] = packets[i][offset..];
            bytes += _packets[i].Length;
        }
        var superBefore = coalescer.SuperPackets;
        var droppedBefore = coalescer.PacketsDropped;
        var outputs = coalescer.Coalesce(_packets.AsSpan(0, packets.Length), _outputs, _outputSizes, 0, _written);
        _counters.AddSuperPacketsWritten(coalescer.SuperPackets - superBefore);
        // A packet too large for an output (longer than 64 KB) is dropped by the coalescer.
        var dropped = (int)(coalescer.PacketsDropped - droppedBefore);
        var accepted = outputs == 0 ? 0 : _device.Write(_written.AsSpan(0, outputs), 0);
        if (accepted == outputs)
        {
            // Every output went in: so did every packet the coalescer kept.
            _counters.AddNetToDevice(packets.Length - dropped, bytes);
            if (dropped > 0)
            {
                _counters.AddDeviceWriteErrors(dropped);
            }
        }
        else
        {
            // A refused write loses every packet merged into it; which packets those were is not known
            // here, so the refused outputs count as one error each and the taken ones as one packet each.
            long taken = 0;
            for (var j = 0; j < accepted; j++)
            {
                taken += _outputSizes[j] - _device.VnetHeaderSize;
            }
            _counters.AddNetToDevice(accepted, taken);
            _counters.AddDeviceWriteErrors(outputs - accepted + dropped);
        }
    }
}
