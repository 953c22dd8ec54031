using System.Runtime.InteropServices;
using SharpTun.IO;
using SharpTun.Linux.Interop;
using SharpTun.Netlink;

namespace SharpTun.Linux.Net;

public sealed unsafe partial class UdpBind
{
    // With GRO on, at most this many messages per recvmmsg: each may hold up to 64 KB of coalesced
    // datagrams, and what does not fit the caller's buffers waits in the queue (this many messages' worth).
    private const int MaxGroMessages = 16;

    private readonly MessageBuffers _rx;
    private readonly ReceivedMessage[] _received;
    private readonly GroQueue? _gro;

    // Segments per message the next receive plans for (largest seen lately, halving when smaller):
    // max / estimate messages are asked for, so a split usually fits the caller's buffers.
    private int _groEstimate = 1;

    /// <inheritdoc/>
    public int Receive(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, Span<DatagramEndpoint> endpoints, int offset)
    {
        var max = Math.Min(Math.Min(buffers.Length, sizes.Length), Math.Min(endpoints.Length, BatchSize));
        if (max == 0 || Volatile.Read(ref _shutdown) != 0)
        {
            return 0;
        }
        buffers = buffers[..max];
        if (_gro is { IsEmpty: false } waiting)
        {
            // Datagrams split out of an earlier message come before anything still in the socket.
            return waiting.Drain(buffers, sizes, endpoints, offset);
        }
        // With GRO on, a caller whose buffers cannot hold a coalesced message receives through the queue.
        var staged = _gro is not null && !HoldCoalesced(buffers, offset);
        var take = _gro is null ? max
            : staged ? Math.Min(max, _gro.Messages)
            : Math.Clamp(max / _groEstimate, 1, Math.Min(max, MaxGroMessages));
        while (Volatile.Read(ref _shutdown) == 0)
        {
            int n;
            _rx.Begin();
            try
            {
                for (var i = 0; i < take; i++)
                {
                    if (staged)
                    {
                        _rx.SetIovec(i, _gro!.Slot(i), GroQueue.SlotSize);
                    }
                    else
                    {
                        _rx.SetIovec(i, buffers[i], offset);
                    }
                    ref var h = ref _rx.Messages[i].Header;
                    h.Name = _rx.Names + i * SockAddr.Space;
                    h.NameLength = SockAddr.Space;
                    h.Iov = &_rx.Iovecs[i];
                    h.IovLength = 1;
                    h.Control = _rx.Control + i * _rx.ControlSpace;
                    h.ControlLength = (nuint)_rx.ControlSpace;
                    h.Flags = 0;
                    _rx.Messages[i].Length = 0;
                }
                // Non-blocking socket: returns what is queued (up to take), or EAGAIN.
                n = Libc.RecvMmsg(_socket.SafeHandle, _rx.Messages, (uint)take, 0, null);
            }
            finally
            {
                _rx.End();
            }
            if (n > 0)
            {
                Interlocked.Increment(ref _receiveCalls);
                return staged ? Stage(n, buffers, sizes, endpoints, offset) : Deliver(n, buffers, sizes, endpoints, offset);
            }
            var errno = n < 0 ? Marshal.GetLastPInvokeError() : Errno.EAGAIN;
            switch (errno)
            {
                case Errno.EAGAIN:
                    _ready.Wait(-1, _label);
                    break;
                case Errno.EBADF or Errno.ENOTSOCK or Errno.EFAULT or Errno.EINVAL:
                    throw Broken(errno, "receive on");
                default:
                    // EINTR, and errors an ICMP message left on the socket (ECONNREFUSED, EHOSTUNREACH, …):
                    // they concern one earlier send, not this socket; the next call reads on.
                    break;
            }
        }
        return 0;
    }

    /// <summary>Reads message <paramref name="j"/>'s header: length (-1 when cut), endpoint, segments.</summary>
    private int Parse(int j, int first)
    {
        ref var m = ref _rx.Messages[j];
        var remote = SockAddr.Read(new ReadOnlySpan<byte>(m.Header.Name, (int)m.Header.NameLength));
        ControlMessages.Parse(m.Header.Control, m.Header.ControlLength, out var local, out var ifindex, out var segment);
        ref var r = ref _received[j];
        r.Endpoint = local.IsSet ? new DatagramEndpoint(remote, local, ifindex) : new DatagramEndpoint(remote);
        r.Length = (m.Header.Flags & Libc.MSG_TRUNC) != 0 ? -1 : (int)m.Length;
        r.SegmentSize = segment;
        r.Segments = segment > 0 && r.Length > segment ? (r.Length + segment - 1) / segment : 1;
        r.First = first;
        return r.Segments;
    }

    /// <summary>Messages received into the queue's slots: queued as they are, then handed out.</summary>
    private int Stage(int n, ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, Span<DatagramEndpoint> endpoints, int offset)
    {
        long coalesced = 0, segments = 0;
        for (var j = 0; j < n; j++)
        {
            var s = Parse(j, 0);
            ref var r = ref _received[j];
            _gro!.AddSlot(j, r.Length, s > 1 ? r.SegmentSize : 0, r.Endpoint);
            if (s > 1)
            {
                coalesced++;
                segments += s;
            }
        }
        CountGro(coalesced, segments);
        return _gro!.Drain(buffers, sizes, endpoints, offset);
    }

    private void CountGro(long coalesced, long segments)
    {
        if (coalesced > 0)
        {
            Interlocked.Add(ref _groReceives, coalesced);
            Interlocked.Add(ref _groSegments, segments);
        }
    }

    private static bool HoldCoalesced(ReadOnlySpan<Memory<byte>> buffers, int offset)
    {
        foreach (var b in buffers)
        {
            if (b.Length - offset < SockOpt.GroMaxMessage)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Turns the <paramref name="n"/> received messages into one datagram per buffer. Message j sits
    /// in buffer j; a coalesced one holds several datagrams back to back. The datagrams are laid out
    /// from the last message backwards: message j's land at or after index j, on buffers that are free
    /// or already emptied, so nothing is overwritten before it is read. Those past the last buffer are
    /// copied to the queue first.
    /// </summary>
    private int Deliver(int n, ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, Span<DatagramEndpoint> endpoints, int offset)
    {
        var max = buffers.Length;
        var total = 0;
        var largest = 1;
        for (var j = 0; j < n; j++)
        {
            var s = Parse(j, total);
            total += s;
            largest = Math.Max(largest, s);
        }
        _groEstimate = Math.Max(largest, _groEstimate / 2);
        if (total == n)
        {
            for (var j = 0; j < n; j++)
            {
                sizes[j] = _received[j].Length;
                endpoints[j] = _received[j].Endpoint;
            }
            return n;
        }
        if (total > max)
        {
            for (var j = 0; j < n; j++)
            {
                ref var r = ref _received[j];
                if (r.First + r.Segments > max)
                {
                    var from = Math.Max(0, max - r.First) * r.SegmentSize;
                    var rest = r.Length < 0 ? ReadOnlySpan<byte>.Empty : buffers[j].Span.Slice(offset + from, r.Length - from);
                    _gro!.Add(rest, r.Length < 0, r.SegmentSize, r.Endpoint);
                }
            }
        }
        long coalesced = 0, segments = 0;
        for (var j = n - 1; j >= 0; j--)
        {
            ref var r = ref _received[j];
            if (r.Segments > 1)
            {
                coalesced++;
                segments += r.Segments;
            }
            for (var t = Math.Min(r.Segments, max - r.First) - 1; t >= 0; t--)
            {
                var g = r.First + t;
                endpoints[g] = r.Endpoint;
                if (r.Length < 0)
                {
                    sizes[g] = -1;
                    continue;
                }
                var length = r.Segments == 1 ? r.Length : Math.Min(r.SegmentSize, r.Length - t * r.SegmentSize);
                if (g == j)
                {
                    sizes[g] = length; // t == 0 and already in place
                    continue;
                }
                var target = buffers[g].Span[offset..];
                if (target.Length < length)
                {
                    sizes[g] = -1;
                    continue;
                }
                buffers[j].Span.Slice(offset + t * r.SegmentSize, length).CopyTo(target);
                sizes[g] = length;
            }
        }
        CountGro(coalesced, segments);
        return Math.Min(total, max);
    }

    /// <summary>One message of a recvmmsg batch, parsed before its datagrams are moved.</summary>
    private struct ReceivedMessage
    {
        internal DatagramEndpoint Endpoint;
        internal int Length;
        internal int SegmentSize;
        internal int Segments;
        internal int First;
    }
}
