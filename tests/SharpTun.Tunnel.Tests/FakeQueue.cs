using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using SharpTun.IO;

namespace SharpTun.Tunnel.Tests;

/// <summary>
/// An in-memory <see cref="IPacketQueue"/>: tests inject packets "from the kernel" and read what the
/// relay wrote. Its <see cref="PollHandle"/> is a loopback UDP "doorbell" socket rung once per
/// injected packet, so the relay's poller waits on it like on a tun fd.
/// </summary>
internal sealed class FakeQueue : IPacketQueue
{
    private readonly ConcurrentQueue<byte[]> _inbound = new();
    private readonly ConcurrentQueue<byte[]> _written = new();
    private readonly Socket _doorbell;
    private readonly Socket _ringer;
    private readonly byte[] _drain = new byte[16];
    private volatile bool _shutdown;

    public FakeQueue(string name, int maxPacketSize = 1500, int batchSize = 16)
    {
        Name = name;
        MaxPacketSize = maxPacketSize;
        BatchSize = batchSize;
        _doorbell = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _doorbell.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _doorbell.Blocking = false;
        _ringer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _ringer.Connect(_doorbell.LocalEndPoint!);
    }

    public string Name { get; }

    public bool IsEthernet => false;

    public int MaxPacketSize { get; }

    public int VnetHeaderSize => 0;

    public int BatchSize { get; }

    public SafeHandle PollHandle => _doorbell.SafeHandle;

    public IReadOnlyList<byte[]> Written => [.. _written];

    public int WrittenCount => _written.Count;

    public void Inject(byte[] packet)
    {
        _inbound.Enqueue(packet);
        Ring();
    }

    public int Read(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, int offset) => TryRead(buffers, sizes, offset);

    public int TryRead(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, int offset)
    {
        if (_shutdown)
        {
            return 0;
        }
        while (_doorbell.Receive(_drain, SocketFlags.None, out var error) > 0 || error == SocketError.Success)
        {
        }
        var n = 0;
        while (n < buffers.Length && _inbound.TryDequeue(out var p))
        {
            p.CopyTo(buffers[n].Span[offset..]);
            sizes[n++] = p.Length;
        }
        if (!_inbound.IsEmpty)
        {
            Ring();
        }
        return n;
    }

    public int Write(ReadOnlySpan<Memory<byte>> packets, int offset)
    {
        foreach (var p in packets)
        {
            _written.Enqueue(p.Span[offset..].ToArray());
        }
        return packets.Length;
    }

    public void Shutdown()
    {
        _shutdown = true;
        Ring();
    }

    public void Dispose()
    {
        _ringer.Dispose();
        _doorbell.Dispose();
    }

    private void Ring() => _ringer.Send([1]);
}
