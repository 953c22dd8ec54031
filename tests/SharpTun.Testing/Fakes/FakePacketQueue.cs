using System.Net.Sockets;
using System.Runtime.InteropServices;
using SharpTun.IO;

namespace SharpTun.Testing.Fakes;

/// <summary>
/// One end of an in-memory pair of <see cref="IPacketQueue"/>s (like wireguard-go's tuntest): what
/// one end writes, the other reads, packet by packet. Each end is a non-blocking AF_UNIX
/// SOCK_SEQPACKET socket, so <see cref="PollHandle"/> is a real fd that an event loop
/// (<c>Poller</c>) waits on like a tun fd, readable while packets are queued and after
/// <see cref="Shutdown"/>. The queue is bounded by the socket buffer: a packet that does not fit
/// is dropped and counted (<see cref="Dropped"/>), as a full device queue drops; so is an empty
/// packet. Reading after the other end was disposed throws <see cref="PacketIOException"/>, like a deleted device.
/// </summary>
public sealed class FakePacketQueue : IPacketQueue
{
    private readonly Socket _socket;
    private volatile bool _shutdown;
    private long _written;
    private long _dropped;

    private FakePacketQueue(Socket socket, string name, FakeQueueOptions options)
    {
        _socket = socket;
        Name = name;
        IsEthernet = options.IsEthernet;
        MaxPacketSize = options.MaxPacketSize;
        VnetHeaderSize = options.VnetHeaderSize;
        BatchSize = options.BatchSize;
    }

    /// <summary>Two connected queues: <c>A.Write</c> arrives at <c>B.Read</c> and the other way round.</summary>
    public static (FakePacketQueue A, FakePacketQueue B) CreatePair(string nameA = "fake0", string nameB = "fake1", FakeQueueOptions? options = null)
    {
        options ??= new FakeQueueOptions();
        var (a, b) = SeqPacketPair.Create();
        foreach (var s in new[] { a, b })
        {
            s.SendBufferSize = options.QueueBytes;
            s.ReceiveBufferSize = options.QueueBytes;
        }
        return (new FakePacketQueue(a, nameA, options), new FakePacketQueue(b, nameB, options));
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public bool IsEthernet { get; }

    /// <inheritdoc/>
    public int MaxPacketSize { get; }

    /// <inheritdoc/>
    public int VnetHeaderSize { get; }

    /// <inheritdoc/>
    public int BatchSize { get; }

    /// <inheritdoc/>
    public SafeHandle PollHandle => _socket.SafeHandle;

    /// <summary>Packets this end wrote that reached the other end.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Packets this end wrote that were dropped (the other end's queue was full or closed).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <inheritdoc/>
    public int Read(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, int offset)
    {
        while (!_shutdown && !buffers.IsEmpty && !sizes.IsEmpty)
        {
            var n = TryRead(buffers, sizes, offset);
            if (n > 0)
            {
                return n;
            }
            _socket.Poll(-1, SelectMode.SelectRead);
        }
        return 0;
    }

    /// <inheritdoc/>
    public int TryRead(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, int offset)
    {
        var max = Math.Min(buffers.Length, sizes.Length);
        var count = 0;
        while (count < max && !_shutdown)
        {
            var n = _socket.Receive(buffers[count].Span[offset..], SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock || _shutdown)
            {
                break;
            }
            if (error != SocketError.Success || n == 0)
            {
                if (count > 0)
                {
                    break;
                }
                // Empty packets are never sent (Write refuses them), so 0 is the other end's close.
                var cause = n == 0 ? "the other end was closed" : error.ToString();
                throw new PacketIOException($"cannot read from fake device '{Name}': {cause}", Name, (int)error);
            }
            sizes[count++] = n;
        }
        return count;
    }

    /// <inheritdoc/>
    public int Write(ReadOnlySpan<Memory<byte>> packets, int offset)
    {
        var accepted = 0;
        foreach (var p in packets)
        {
            var packet = p.Span[offset..];
            if (packet.IsEmpty)
            {
                continue; // tun refuses an empty write too
            }
            _socket.Send(packet, SocketFlags.None, out var error);
            if (error == SocketError.Success)
            {
                accepted++;
            }
        }
        Interlocked.Add(ref _written, accepted);
        Interlocked.Add(ref _dropped, packets.Length - accepted);
        return accepted;
    }

    /// <inheritdoc/>
    public void Shutdown()
    {
        _shutdown = true;
        try
        {
            _socket.Shutdown(SocketShutdown.Receive); // the socket polls readable from now on
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Shutdown();
        _socket.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
