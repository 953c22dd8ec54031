using System.Runtime.InteropServices;
using SharpTun.IO;

namespace SharpTun.Linux.Net;

/// <summary>
/// Received datagrams waiting to be handed out, one per caller buffer, in arrival order: the tails
/// of coalesced (UDP_GRO) messages that did not fit the caller's buffers in the receive that read
/// them (copied here), or whole messages received straight into this queue's slots when the
/// caller's buffers are too small for a coalesced message (64 KB). Filled only while empty (a
/// receive drains it before reading the socket again), so it is a plain queue that rewinds when
/// drained. Native room for <c>messages</c> slots of <see cref="SlotSize"/> bytes, allocated once
/// (pages are touched only when used). One user at a time (the receiving thread).
/// </summary>
internal sealed unsafe class GroQueue : IDisposable
{
    /// <summary>Room per message: any UDP payload fits, so nothing received here is cut.</summary>
    internal const int SlotSize = 65536;

    private readonly byte* _data;
    private readonly int _capacity;
    private readonly int[] _start;
    private readonly int[] _length;
    private readonly int[] _segment;
    private readonly DatagramEndpoint[] _endpoint;
    private int _head;
    private int _count;
    private int _used;

    internal GroQueue(int messages)
    {
        Messages = messages;
        _capacity = messages * SlotSize;
        _data = (byte*)NativeMemory.Alloc((nuint)_capacity);
        _start = new int[messages];
        _length = new int[messages];
        _segment = new int[messages];
        _endpoint = new DatagramEndpoint[messages];
    }

    /// <summary>How many messages (slots, entries) the queue holds.</summary>
    internal int Messages { get; }

    /// <summary>Where slot <paramref name="index"/> starts (for a receive straight into the queue).</summary>
    internal byte* Slot(int index) => _data + index * SlotSize;

    /// <summary>Queues message <paramref name="index"/> received into its slot (no copy).</summary>
    internal void AddSlot(int index, int length, int segmentSize, in DatagramEndpoint endpoint)
    {
        var i = Next();
        _start[i] = index * SlotSize;
        _length[i] = length;
        _segment[i] = segmentSize;
        _endpoint[i] = endpoint;
        _count++;
    }

    /// <summary>True when nothing waits.</summary>
    internal bool IsEmpty => _count == 0;

    /// <summary>
    /// Queues the tail of one message, copied: <paramref name="bytes"/> to be cut into datagrams of
    /// <paramref name="segmentSize"/> (0: one datagram), or one truncated datagram (size -1).
    /// </summary>
    internal void Add(ReadOnlySpan<byte> bytes, bool truncated, int segmentSize, in DatagramEndpoint endpoint)
    {
        var i = Next();
        _start[i] = _used;
        if (truncated || _used + bytes.Length > _capacity)
        {
            _length[i] = -1;
        }
        else
        {
            bytes.CopyTo(new Span<byte>(_data + _used, bytes.Length));
            _length[i] = bytes.Length;
            _used += bytes.Length;
        }
        _segment[i] = segmentSize;
        _endpoint[i] = endpoint;
        _count++;
    }

    /// <summary>Hands out waiting datagrams, one per buffer, oldest first; returns how many.</summary>
    internal int Drain(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, Span<DatagramEndpoint> endpoints, int offset)
    {
        var n = 0;
        while (n < buffers.Length && _count > 0)
        {
            var h = _head;
            endpoints[n] = _endpoint[h];
            if (_length[h] < 0)
            {
                sizes[n] = -1;
                Pop();
                n++;
                continue;
            }
            var length = _segment[h] > 0 ? Math.Min(_segment[h], _length[h]) : _length[h];
            var target = buffers[n].Span[offset..];
            if (target.Length < length)
            {
                sizes[n] = -1;
            }
            else
            {
                new ReadOnlySpan<byte>(_data + _start[h], length).CopyTo(target);
                sizes[n] = length;
            }
            n++;
            _start[h] += length;
            _length[h] -= length;
            if (_length[h] == 0)
            {
                Pop();
            }
        }
        return n;
    }

    private int Next()
    {
        var i = _head + _count;
        if (i == _start.Length)
        {
            throw new InvalidOperationException("GRO queue full: more messages than one receive asks for");
        }
        return i;
    }

    private void Pop()
    {
        _head++;
        _count--;
        if (_count == 0)
        {
            _head = 0;
            _used = 0;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => NativeMemory.Free(_data);
}
