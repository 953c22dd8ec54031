using SharpTun.IO;
using SharpTun.Packets.Offload;

namespace SharpTun.Tunnel;

/// <summary>
/// The relay's path to the device for packets from the peer: one batched write, counters and the
/// observer. Transports hand it exact slices (packet at <c>offset</c>); nothing is copied on a
/// plain device. On a tun with a virtio-net header and offloads, runs of packets are merged
/// (<see cref="TunCoalescingWriter"/>, like the kernel's GRO) into super-packets of up to 64 KB behind
/// their virtio-net header, so the kernel takes a TCP stream's segments in one write, not dozens;
/// a packet that merges with nothing is copied behind a plain header.
/// </summary>
internal sealed class DeviceWriter
{
    private readonly IPacketQueue _device;
    private readonly TunnelCounters _counters;
    private readonly PacketObserver? _observer;
    private readonly TunCoalescingWriter? _coalescer;

    internal DeviceWriter(IPacketQueue device, TunnelCounters counters, PacketObserver? observer)
    {
        _device = device;
        _counters = counters;
        _observer = observer;
        if (device.VnetHeaderSize > 0)
        {
            _coalescer = new TunCoalescingWriter(device);
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
            var r = _coalescer.Write(packets, offset);
            _counters.AddSuperPacketsWritten(r.SuperPackets);
            _counters.AddNetToDevice(r.Packets, r.Bytes);
            if (r.Lost > 0)
            {
                _counters.AddDeviceWriteErrors(r.Lost);
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
}
