using SharpTun.IO;

namespace SharpTun.Tunnel;

/// <summary>
/// The relay's path to the device for packets from the peer: one batched write, counters and the
/// observer. Transports hand it exact slices (packet at <c>offset</c>); nothing is copied.
/// </summary>
internal sealed class DeviceWriter
{
    private readonly IPacketQueue _device;
    private readonly TunnelCounters _counters;
    private readonly PacketObserver? _observer;

    internal DeviceWriter(IPacketQueue device, TunnelCounters counters, PacketObserver? observer)
    {
        _device = device;
        _counters = counters;
        _observer = observer;
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
