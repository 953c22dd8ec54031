using System.Runtime.InteropServices;
using SharpTun.IO;
using SharpTun.Packets.Offload;

namespace SharpTun.Packets.Tests.Offload;

/// <summary>
/// A tun queue for the offload reader and writer tests: reads hand out the frames queued with
/// <see cref="Enqueue"/> (header first, as tun would), writes are recorded; <see cref="AcceptPerWrite"/>
/// makes a write take only its first outputs, as a device refusing the rest does.
/// </summary>
internal sealed class ScriptedTun(int vnetHeaderSize, PacketOffloads offloads = PacketOffloads.None, int batchSize = 32) : IPacketQueue
{
    private readonly Queue<byte[]> _reads = new();

    public string Name => "scripted0";

    public bool IsEthernet => false;

    public int MaxPacketSize => 65535;

    public int VnetHeaderSize => vnetHeaderSize;

    public PacketOffloads Offloads => offloads;

    public int BatchSize => batchSize;

    public SafeHandle PollHandle => throw new NotSupportedException("the offload tests do not poll");

    /// <summary>Every output written (its bytes from the write offset on: header, then packet).</summary>
    public List<byte[]> Written { get; } = [];

    /// <summary>Whether writes are copied into <see cref="Written"/> (off to measure allocations: then only counted).</summary>
    public bool Record { get; set; } = true;

    /// <summary>Outputs taken so far.</summary>
    public int Taken { get; private set; }

    /// <summary>Outputs refused so far.</summary>
    public int Refused { get; private set; }

    /// <summary>How many outputs of one write call the device takes (the rest it refuses); all when null.</summary>
    public int? AcceptPerWrite { get; set; }

    /// <summary>Queues one read: <paramref name="header"/> (when the queue has one) and <paramref name="packet"/>.</summary>
    public void Enqueue(VirtioNetHeader header, ReadOnlySpan<byte> packet)
    {
        var frame = new byte[vnetHeaderSize + packet.Length];
        if (vnetHeaderSize > 0)
        {
            Assert.True(header.TryWrite(frame, vnetHeaderSize));
        }
        packet.CopyTo(frame.AsSpan(vnetHeaderSize));
        _reads.Enqueue(frame);
    }

    /// <summary>Queues a read of exactly <paramref name="frame"/> (a short or broken one).</summary>
    public void EnqueueRaw(byte[] frame) => _reads.Enqueue(frame);

    public int Read(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, int offset) => TryRead(buffers, sizes, offset);

    public int TryRead(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, int offset)
    {
        var n = 0;
        while (n < buffers.Length && _reads.TryDequeue(out var frame))
        {
            var room = buffers[n].Length - offset;
            if (frame.Length > room)
            {
                throw new InvalidOperationException($"a read slot holds {room} bytes, the frame has {frame.Length}");
            }
            frame.CopyTo(buffers[n].Span[offset..]);
            sizes[n++] = frame.Length;
        }
        return n;
    }

    public int Write(ReadOnlySpan<Memory<byte>> packets, int offset)
    {
        var take = Math.Min(packets.Length, AcceptPerWrite ?? packets.Length);
        for (var i = 0; i < take && Record; i++)
        {
            Written.Add(packets[i].Span[offset..].ToArray());
        }
        Taken += take;
        Refused += packets.Length - take;
        return take;
    }

    public void Shutdown()
    {
    }

    public void Dispose()
    {
    }
}
