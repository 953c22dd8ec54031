using System.Buffers.Binary;
using SharpTun.Packets;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// One running capture of an interface's inner packets (of one peer, or all): the pumps copy each packet
/// into a preallocated ring (<see cref="Offer"/>: no allocation, no I/O, a drop counted when the ring is
/// full); the session's own thread writes them as pcap (LINKTYPE_RAW) to the output stream. Ends when the
/// reader closes its side (<see cref="Run"/> drains what is queued first) or the output fails.
/// </summary>
internal sealed class CaptureSession
{
    /// <summary>Bytes of ring: about 2,800 full-size packets of headroom when the reader is slow.</summary>
    internal const int RingBytes = 4 << 20;

    private const int RecordHeader = 12; // length (4) + UTC ticks (8)
    private readonly byte[] _ring = new byte[RingBytes];
    private readonly Lock _gate = new();
    private readonly ManualResetEventSlim _ready = new();
    private readonly byte[]? _peerKey;
    private readonly TimeProvider _time;
    private long _head; // total bytes written (producer)
    private long _tail; // total bytes read (consumer)
    private long _captured;
    private long _dropped;

    internal CaptureSession(byte[]? peerKey, TimeProvider time)
    {
        _peerKey = peerKey;
        _time = time;
    }

    /// <summary>Packets queued for the file so far.</summary>
    public long Captured => Interlocked.Read(ref _captured);

    /// <summary>Packets not captured because the reader fell behind (the ring was full).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Offers a packet of <paramref name="peer"/> to every session in <paramref name="sessions"/> (the pumps' hook).</summary>
    internal static void Offer(CaptureSession[] sessions, WireGuardPeer peer, ReadOnlySpan<byte> packet)
    {
        foreach (var s in sessions)
        {
            if (s._peerKey is null || peer.PublicKey.Span.SequenceEqual(s._peerKey))
            {
                s.Add(packet);
            }
        }
    }

    /// <summary>
    /// Writes the pcap header, then every packet offered, to <paramref name="output"/> until <paramref name="closed"/>
    /// says the reader is gone (then what is queued is written, and it returns) or a write fails.
    /// </summary>
    internal void Run(Stream output, Func<bool> closed)
    {
        using var pcap = new PcapWriter(output, LinkType.Raw, leaveOpen: true);
        pcap.Flush();
        var scratch = new byte[65535];
        while (true)
        {
            var done = closed();
            _ready.Wait(TimeSpan.FromMilliseconds(100));
            _ready.Reset();
            while (TryTake(scratch, out var length, out var ticks))
            {
                pcap.Write(scratch.AsSpan(0, length), new DateTimeOffset(ticks, TimeSpan.Zero));
            }
            pcap.Flush();
            if (done)
            {
                return;
            }
        }
    }

    private void Add(ReadOnlySpan<byte> packet)
    {
        var need = RecordHeader + packet.Length;
        lock (_gate)
        {
            if (_head - Volatile.Read(ref _tail) + need > RingBytes)
            {
                _dropped++;
                return;
            }
            Span<byte> header = stackalloc byte[RecordHeader];
            BinaryPrimitives.WriteInt32LittleEndian(header, packet.Length);
            BinaryPrimitives.WriteInt64LittleEndian(header[4..], _time.GetUtcNow().UtcTicks);
            Put(_head, header);
            Put(_head + RecordHeader, packet);
            Volatile.Write(ref _head, _head + need);
            _captured++;
        }
        _ready.Set();
    }

    private bool TryTake(byte[] destination, out int length, out long ticks)
    {
        var tail = _tail;
        if (Volatile.Read(ref _head) == tail)
        {
            length = 0;
            ticks = 0;
            return false;
        }
        Span<byte> header = stackalloc byte[RecordHeader];
        Get(tail, header);
        length = BinaryPrimitives.ReadInt32LittleEndian(header);
        ticks = BinaryPrimitives.ReadInt64LittleEndian(header[4..]);
        Get(tail + RecordHeader, destination.AsSpan(0, length));
        Volatile.Write(ref _tail, tail + RecordHeader + length);
        return true;
    }

    private void Put(long position, ReadOnlySpan<byte> data)
    {
        var at = (int)(position % RingBytes);
        var first = Math.Min(data.Length, RingBytes - at);
        data[..first].CopyTo(_ring.AsSpan(at));
        data[first..].CopyTo(_ring);
    }

    private void Get(long position, Span<byte> data)
    {
        var at = (int)(position % RingBytes);
        var first = Math.Min(data.Length, RingBytes - at);
        _ring.AsSpan(at, first).CopyTo(data);
        _ring.AsSpan(0, data.Length - first).CopyTo(data[first..]);
    }
}
