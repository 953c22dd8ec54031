using SharpTun.IO;

namespace SharpTun.Tunnel;

/// <summary>
/// The memory of a TCP transport, allocated once and used by each connection in turn (one peer
/// at a time), so a stream of short-lived connections leaves memory flat: a receive buffer (many
/// frames per recv(2)), the pending output of one device batch, and the write list for the device.
/// </summary>
internal sealed class TcpBuffers
{
    // Bytes per recv(2): many full-size frames per system call.
    private const int ReceiveSize = 256 * 1024;

    internal TcpBuffers(int maxPacket, int batchSize)
    {
        MaxPacket = maxPacket;
        BatchSize = Math.Max(1, batchSize);
        Receive = new byte[Math.Max(ReceiveSize, StreamFraming.TwoFrames(maxPacket))];
        Send = new byte[BatchSize * (maxPacket + StreamFraming.HeaderSize)];
        Packets = new Memory<byte>[64];
    }

    /// <summary>The largest packet a frame may carry (the device's).</summary>
    internal int MaxPacket { get; }

    /// <summary>The most packets one framed send holds.</summary>
    internal int BatchSize { get; }

    internal byte[] Receive { get; }

    internal byte[] Send { get; }

    internal Memory<byte>[] Packets { get; }
}
