using System.Runtime.InteropServices;

namespace SharpTun.IO;

/// <summary>
/// A bound UDP socket (IPv4 and IPv6), batched like wireguard-go's <c>conn.Bind</c>: datagrams in
/// and out in caller-owned buffers at a caller-chosen offset, each received datagram with the
/// endpoint it came from and the local address it arrived on (so a reply leaves from the address
/// the peer spoke to).
/// <para>Concurrency: one receiving thread and one or more sending threads (each send is one
/// system call); <see cref="Shutdown"/> from any thread.</para>
/// </summary>
public interface IDatagramBind : IDisposable
{
    /// <summary>The local UDP port (the kernel's choice when 0 was asked for).</summary>
    ushort LocalPort { get; }

    /// <summary>The most datagrams one <see cref="Receive"/> returns.</summary>
    int BatchSize { get; }

    /// <summary>A file descriptor that polls readable while datagrams are queued (and after <see cref="Shutdown"/>).</summary>
    SafeHandle PollHandle { get; }

    /// <summary>
    /// True when the next <see cref="Receive"/> returns at once from datagrams the bind already holds
    /// (the rest of a UDP GRO message that did not fit the last call's buffers): those do not make
    /// <see cref="PollHandle"/> readable, so an event loop must check this before it waits.
    /// </summary>
    bool HasPending => false;

    /// <summary>
    /// Waits for at least one datagram, then takes up to <c>buffers.Length</c>: datagram <c>i</c> at
    /// <c>buffers[i].Span[offset..]</c>, its length in <c>sizes[i]</c>, where it came from in
    /// <c>endpoints[i]</c>. A datagram longer than its buffer is cut and reported with size -1
    /// (drop it). Returns the count, or 0 once <see cref="Shutdown"/> was called.
    /// </summary>
    int Receive(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, Span<DatagramEndpoint> endpoints, int offset);

    /// <summary>
    /// Sends each <c>datagrams[i].Span[offset..]</c> to <paramref name="destination"/> (from its
    /// <see cref="DatagramEndpoint.Local"/> address when set) with as few system calls as the kernel
    /// allows. Returns 0, or the errno that stopped the batch (the rest is not sent; the caller
    /// counts it). Throws <see cref="PacketIOException"/> only when the socket itself is broken.
    /// </summary>
    int Send(ReadOnlySpan<Memory<byte>> datagrams, int offset, in DatagramEndpoint destination);

    /// <summary>Makes a waiting <see cref="Receive"/> return 0 at once, and every later one. Idempotent; any thread.</summary>
    void Shutdown();

    /// <summary>Whether UDP offloads are in use and the counters that prove it; null when the bind has none.</summary>
    IDatagramOffloadStatistics? OffloadStatistics => null;

    /// <summary>The bind's stream connections (dial targets, confirmation); null when it carries datagrams only.</summary>
    IStreamFallback? StreamFallback => null;

    /// <summary>
    /// Puts <paramref name="mark"/> (SO_MARK; 0 = none) on every later send of this open bind. False when
    /// the bind cannot change it in place (the host then opens a new bind with the mark).
    /// </summary>
    bool TrySetFirewallMark(uint mark) => false;
}
