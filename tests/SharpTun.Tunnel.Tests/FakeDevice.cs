using System.Collections.Concurrent;

namespace SharpTun.Tunnel.Tests;

/// <summary>An in-memory <see cref="IPacketDevice"/>: tests inject packets "from the kernel" and read what the relay wrote.</summary>
internal sealed class FakeDevice(string name) : IPacketDevice
{
    private readonly ConcurrentQueue<byte[]> _inbound = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly ConcurrentQueue<byte[]> _written = new();

    public string Name => name;

    public bool IsEthernet => false;

    public int MaxPacketSize => 1500;

    public IReadOnlyList<byte[]> Written => [.. _written];

    public int WrittenCount => _written.Count;

    public void Inject(byte[] packet)
    {
        _inbound.Enqueue(packet);
        _signal.Release();
    }

    public bool WaitReadable(int timeoutMilliseconds) => !_inbound.IsEmpty || _signal.Wait(timeoutMilliseconds);

    public int Read(Span<byte> buffer, int timeoutMilliseconds) => WaitReadable(timeoutMilliseconds) ? TryRead(buffer) : 0;

    public int TryRead(Span<byte> buffer)
    {
        if (!_inbound.TryDequeue(out var p))
        {
            return 0;
        }
        p.CopyTo(buffer);
        return p.Length;
    }

    public int Write(ReadOnlySpan<byte> packet)
    {
        _written.Enqueue(packet.ToArray());
        return 0;
    }
}
