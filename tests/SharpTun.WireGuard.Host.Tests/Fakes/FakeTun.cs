using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>
/// An in-memory tun queue for driving the pumps synchronously: <see cref="Inject"/> queues packets the
/// "kernel" sends, <see cref="Written"/> collects what the interface wrote. Read never waits (0 = nothing
/// queued, which a synchronous test never asks for). Allocation-free after construction.
/// </summary>
internal sealed class FakeTun(string name) : IPacketQueue
{
    private readonly SafeFileHandle _handle = new(IntPtr.Zero, ownsHandle: false);

    internal SlotRing Inbound { get; } = new(256, 2048);

    internal SlotRing Written { get; } = new(256, 2048);

    /// <summary>When true, Write accepts nothing (as a tun whose queue is gone).</summary>
    internal bool RefuseWrites { get; set; }

    public string Name => name;

    public bool IsEthernet => false;

    public int MaxPacketSize => 1420;

    public int VnetHeaderSize => 0;

    public int BatchSize => 16;

    public SafeHandle PollHandle => _handle;

    internal void Inject(ReadOnlySpan<byte> packet) => Inbound.Push(packet);

    public int Read(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, int offset) => TryRead(buffers, sizes, offset);

    public int TryRead(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, int offset)
    {
        var n = 0;
        while (n < buffers.Length && Inbound.Count > 0)
        {
            sizes[n] = Inbound.Pop(buffers[n].Span[offset..], out _);
            n++;
        }
        return n;
    }

    public int Write(ReadOnlySpan<Memory<byte>> packets, int offset)
    {
        if (RefuseWrites)
        {
            return 0;
        }
        foreach (var p in packets)
        {
            Written.Push(p.Span[offset..]);
        }
        return packets.Length;
    }

    public void Shutdown()
    {
    }

    public void Dispose() => _handle.Dispose();
}
