using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>
/// An in-memory tun queue for driving the pumps synchronously: <see cref="Inject"/> queues packets the
/// "kernel" sends, <see cref="Written"/> collects what the interface wrote. Read never waits (0 = nothing
/// queued, which a synchronous test never asks for). Allocation-free after construction.
/// </summary>
internal sealed class FakeTun(string name, int vnetHeaderSize = 0, PacketOffloads offloads = PacketOffloads.None) : IPacketQueue
{
    private readonly SafeFileHandle _handle = new(IntPtr.Zero, ownsHandle: false);

    // With offloads a packet may be a 64 KB super-packet: fewer, larger slots.
    internal SlotRing Inbound { get; } = offloads == PacketOffloads.None ? new(256, 2048) : new(64, 65600);

    internal SlotRing Written { get; } = offloads == PacketOffloads.None ? new(256, 2048) : new(64, 65600);

    /// <summary>When true, Write accepts nothing (as a tun whose queue is gone).</summary>
    internal bool RefuseWrites { get; set; }

    public string Name => name;

    public bool IsEthernet => false;

    public int MaxPacketSize => offloads == PacketOffloads.None ? 1420 : 65535;

    public int VnetHeaderSize => vnetHeaderSize;

    public PacketOffloads Offloads => offloads;

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
