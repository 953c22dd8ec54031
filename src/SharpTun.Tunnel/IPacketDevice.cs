namespace SharpTun.Tunnel;

/// <summary>
/// The device side of a relay: one packet (tun) or frame (tap) per read and per write, on
/// caller-owned buffers. One thread reads while another writes; implementations must allow that.
/// </summary>
public interface IPacketDevice
{
    /// <summary>A name for logs ("tun0").</summary>
    string Name { get; }

    /// <summary>True when packets are Ethernet frames (tap), false for IP packets (tun).</summary>
    bool IsEthernet { get; }

    /// <summary>The largest packet the device carries (MTU plus link headers, at most 65535); longer input is a protocol error.</summary>
    int MaxPacketSize { get; }

    /// <summary>Reads one packet, waiting at most <paramref name="timeoutMilliseconds"/>; returns 0 on timeout.</summary>
    int Read(Span<byte> buffer, int timeoutMilliseconds);

    /// <summary>Waits until a packet is queued (true) or <paramref name="timeoutMilliseconds"/> pass (false).</summary>
    bool WaitReadable(int timeoutMilliseconds);

    /// <summary>Reads one packet if one is queued now; returns 0 otherwise.</summary>
    int TryRead(Span<byte> buffer);

    /// <summary>Writes one packet; returns 0, or an errno for a packet the device refused (counted and dropped by the caller).</summary>
    int Write(ReadOnlySpan<byte> packet);
}
