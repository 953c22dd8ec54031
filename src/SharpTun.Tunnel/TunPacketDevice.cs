using SharpTun.Linux.Tun;

namespace SharpTun.Tunnel;

/// <summary><see cref="IPacketDevice"/> over an open <see cref="TunDevice"/> (the relay does not own it).</summary>
public sealed class TunPacketDevice : IPacketDevice
{
    private readonly TunDevice _device;

    /// <summary>Wraps <paramref name="device"/>; <paramref name="mtu"/> is the device's MTU (the largest packet is that plus the link header).</summary>
    public TunPacketDevice(TunDevice device, int mtu)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
        var linkHeader = device.Mode == TunMode.Tap ? EthernetHeaderWithVlan : 0;
        var pi = device.PacketInfo ? 4 : 0;
        MaxPacketSize = Math.Min(Protocol.Framing.LengthPrefixFraming.MaxPacketLength, mtu + linkHeader + pi);
    }

    // 14-byte Ethernet header plus one 802.1Q tag: a tap on a bridge may carry tagged frames.
    private const int EthernetHeaderWithVlan = 18;

    /// <inheritdoc/>
    public string Name => _device.Name;

    /// <inheritdoc/>
    public bool IsEthernet => _device.Mode == TunMode.Tap;

    /// <inheritdoc/>
    public int MaxPacketSize { get; }

    /// <inheritdoc/>
    public int Read(Span<byte> buffer, int timeoutMilliseconds) => _device.ReadPacket(buffer, timeoutMilliseconds);

    /// <inheritdoc/>
    public bool WaitReadable(int timeoutMilliseconds) => _device.WaitReadable(timeoutMilliseconds);

    /// <inheritdoc/>
    public int TryRead(Span<byte> buffer) => _device.TryReadPacket(buffer);

    /// <inheritdoc/>
    public int Write(ReadOnlySpan<byte> packet) => _device.WritePacket(packet);
}
