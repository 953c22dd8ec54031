using System.Runtime.InteropServices;

namespace SharpTun.IO;

/// <summary>
/// One queue of a packet device (one fd of a tun/tap device, or a fake), batched like
/// wireguard-go's <c>tun.Device</c>: the caller owns the buffers and chooses an offset, so a
/// protocol can keep headroom in front of each packet (its header) and room behind (tag,
/// padding) and work in place without a copy.
/// <para>Concurrency: one thread may read while another writes; <see cref="Shutdown"/> may be
/// called from any thread. Two concurrent readers (or writers) are not supported.</para>
/// <para>Errors: a packet the device refuses on write is skipped (the return value says how many
/// went through); a device that is gone or broken throws <see cref="PacketIOException"/>.</para>
/// </summary>
public interface IPacketQueue : IDisposable
{
    /// <summary>The device name for logs and errors ("tun0").</summary>
    string Name { get; }

    /// <summary>True when packets are Ethernet frames (tap), false for IP packets (tun).</summary>
    bool IsEthernet { get; }

    /// <summary>The largest packet the device carries (MTU plus link header, at most 65535), without <see cref="VnetHeaderSize"/>.</summary>
    int MaxPacketSize { get; }

    /// <summary>Bytes of virtio-net header in front of every packet read or written (0 without IFF_VNET_HDR).</summary>
    int VnetHeaderSize { get; }

    /// <summary>
    /// The offloads the device took (<see cref="PacketOffloads.None"/> unless it was opened for them):
    /// what a reader must be ready to split and a writer may coalesce. Needs <see cref="VnetHeaderSize"/> &gt; 0.
    /// </summary>
    PacketOffloads Offloads => PacketOffloads.None;

    /// <summary>The most packets one <see cref="Read"/> returns; pass at least this many buffers to get whole batches.</summary>
    int BatchSize { get; }

    /// <summary>
    /// A file descriptor that polls readable while packets are queued (and after <see cref="Shutdown"/>),
    /// for an event loop that waits on several sources at once. Do not read from it directly.
    /// </summary>
    SafeHandle PollHandle { get; }

    /// <summary>
    /// Waits until at least one packet is queued, then takes up to <c>buffers.Length</c> without
    /// waiting again. Packet <c>i</c> (its virtio-net header first, when there is one) is written
    /// at <c>buffers[i].Span[offset..]</c> and its length to <c>sizes[i]</c>. A buffer should hold
    /// <c>offset + VnetHeaderSize + MaxPacketSize</c> bytes; the kernel cuts what does not fit.
    /// Returns the count, or 0 once <see cref="Shutdown"/> was called.
    /// </summary>
    int Read(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, int offset);

    /// <summary>Like <see cref="Read"/> but never waits: returns 0 when nothing is queued (or after shutdown).</summary>
    int TryRead(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, int offset);

    /// <summary>
    /// Writes each <c>packets[i].Span[offset..]</c> as one packet (virtio-net header first when
    /// <see cref="VnetHeaderSize"/> &gt; 0). Returns how many the device took; the others were
    /// refused (not an IP packet / frame, device down) and are dropped.
    /// </summary>
    int Write(ReadOnlySpan<Memory<byte>> packets, int offset);

    /// <summary>Makes a waiting <see cref="Read"/> return 0 at once, and every later one. Idempotent; any thread.</summary>
    void Shutdown();
}
