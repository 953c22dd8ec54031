using System.Runtime.InteropServices;
using SharpTun.IO;

namespace SharpTun.Linux.Net;

/// <summary>
/// Datagrams of coalesced (UDP_GRO) messages that did not fit the caller's buffers in the receive
/// that read them, kept in order for the next receives. Filled only while empty (a receive drains
/// it before reading the socket again), so it is a plain queue that rewinds when drained. Room for
/// <c>messages</c> entries and <c>bytes</c> bytes, native, allocated once (pages are touched only when used).
/// One user at a time (the receiving thread).
/// </summary>
internal sealed unsafe class GroOverflow : IDisposable
{
    private readonly byte* _data;
    private readonly int _capacity;
    private readonly int[] _start;
    private readonly int[] _length;
    private readonly int[] _segment;
    private readonly DatagramEndpoint[] _endpoint;
    private int _head;
    private int _count;
    private int _used;

    internal GroOverflow(int messages, int bytes)
    {
        _capacity = bytes;
        _data = (byte*)NativeMemory.Alloc((nuint)bytes);
        _start = new int[messages];
        _length = new int[messages];
        _segment = new int[messages];
        _endpoint = new DatagramEndpoint[messages];
    }

    /// <summary>True when nothing waits.</summary>
    internal bool IsEmpty => _count == 0;

    /// <summary>
    /// Queues the tail of one message: <paramref name="bytes"/> to be cut into datagrams of
    /// <paramref name="segmentSize"/> (0: one datagram), or one truncated datagram (size -1).
    /// </summary>
    internal void Add(ReadOnlySpan<byte> bytes, bool truncated, int segmentSize, in DatagramEndpoint endpoint)
    {
        var i = _head + _count;
        if (i == _start.Length)
        {
            throw new InvalidOperationException("GRO overflow full: more messages than one receive asks for");
        }
        if (truncated || _used + bytes.Length > _capacity)
        {
            _start[i] = _used;
            _length[i] = -1;
        }
        else
        {
            bytes.CopyTo(new Span<byte>(_data + _used, bytes.Length));
            _start[i] = _used;
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
