using System.Runtime.InteropServices;
using SharpTun.IO;

namespace SharpTun.Testing.Fakes;

/// <summary>
/// An in-memory tun queue for driving pumps synchronously: <see cref="Inject"/> queues packets the
/// "kernel" sends, <see cref="Written"/> collects what the interface wrote. Read never waits (0 =
/// nothing queued); <see cref="PollHandle"/> is the real eventfd of <see cref="Inbound"/>, readable
/// while packets are queued and after <see cref="Shutdown"/>, so a thread may also poll it first.
/// Allocation-free after construction. For a pair of queues whose Read waits, see <see cref="FakePacketQueue"/>.
/// </summary>
public sealed class FakeTun(string name, int vnetHeaderSize = 0, PacketOffloads offloads = PacketOffloads.None) : IPacketQueue
{
    /// <summary>Packets the "kernel" sent, waiting for Read (with offloads a packet may be a 64 KB super-packet: fewer, larger slots).</summary>
    public SlotRing Inbound { get; } = offloads == PacketOffloads.None ? new(256, 2048) : new(64, 65600);

    /// <summary>Packets the interface wrote.</summary>
    public SlotRing Written { get; } = offloads == PacketOffloads.None ? new(256, 2048) : new(64, 65600);

    /// <summary>When true, Write accepts nothing (as a tun whose queue is gone).</summary>
    public bool RefuseWrites { get; set; }

    /// <inheritdoc/>
    public string Name => name;

    /// <inheritdoc/>
    public bool IsEthernet => false;

    /// <inheritdoc/>
    public int MaxPacketSize => offloads == PacketOffloads.None ? 1420 : 65535;

    /// <inheritdoc/>
    public int VnetHeaderSize => vnetHeaderSize;

    /// <inheritdoc/>
    public PacketOffloads Offloads => offloads;

    /// <inheritdoc/>
    public int BatchSize => 16;

    /// <inheritdoc/>
    public SafeHandle PollHandle => Inbound.WakeHandle;

    /// <summary>Queues a packet for Read, as the kernel routing it into the device.</summary>
    public void Inject(ReadOnlySpan<byte> packet) => Inbound.Push(packet);

    /// <inheritdoc/>
    public int Read(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, int offset) => TryRead(buffers, sizes, offset);

    /// <inheritdoc/>
    public int TryRead(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, int offset)
    {
        var n = 0;
        while (n < buffers.Length && !Inbound.IsShutdown && Inbound.TryPop(buffers[n].Span[offset..], out var size, out _, out _))
        {
            sizes[n++] = size;
        }
        return n;
    }

    /// <inheritdoc/>
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

    /// <inheritdoc/>
    public void Shutdown() => Inbound.Shutdown();

    /// <inheritdoc/>
    public void Dispose()
    {
        Inbound.Dispose();
        Written.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => name;
}
