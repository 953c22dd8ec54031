using SharpTun.Protocol.Framing;

namespace SharpTun.Tunnel;

/// <summary>
/// The receive-side memory of a relay, allocated once and reused by every link in turn (one peer
/// at a time), so a stream of short-lived connections leaves memory flat.
/// </summary>
public sealed class RelayBuffers
{
    /// <summary>Bytes per recv(2): many full-size packets per system call.</summary>
    public const int ReceiveSize = 256 * 1024;

    /// <summary>Buffers for packets up to <paramref name="maxPacket"/> bytes.</summary>
    public RelayBuffers(int maxPacket)
    {
        Receive = new byte[ReceiveSize];
        Decoder = new FrameDecoder(maxPacket);
    }

    /// <summary>The receive buffer.</summary>
    public byte[] Receive { get; }

    /// <summary>The stream decoder (reset per connection).</summary>
    public FrameDecoder Decoder { get; }
}
