using System.Runtime.InteropServices;
using SharpTun.IO;

namespace SharpTun.Testing.Fakes;

/// <summary>
/// The one in-memory packet store of the fakes: a bounded FIFO of byte entries (packets, datagrams),
/// each tagged with up to two endpoints (where it came from, where it was sent to). Storage is one
/// circular arena allocated at construction; pushing and popping allocate nothing (an entry may wrap
/// around the arena's end and is copied in two pieces).
/// <para>Bounds: at most <see cref="Capacity"/> entries of at most <see cref="SlotSize"/> bytes each,
/// together at most the arena's size (as a socket buffer bounds bytes, not packets).</para>
/// <para>Waking: <see cref="WakeHandle"/> is a real eventfd that polls readable while entries are
/// queued and, for good, after <see cref="Shutdown"/> or <see cref="CompleteWriting"/>; so an event
/// loop waiting on it behaves as with a tun fd or a socket. <see cref="WaitReadable"/> blocks a reader
/// thread on the same condition.</para>
/// <para>Concurrency: every operation takes one lock; any number of pushing and popping threads.</para>
/// </summary>
public sealed class SlotRing : IDisposable
{
    private readonly object _lock = new();
    private readonly byte[] _arena;
    private readonly int[] _lengths;
    private readonly NetEndpoint[] _tags;
    private readonly NetEndpoint[] _locals;
    private int _head;
    private int _count;
    private int _readOffset; // arena offset of the oldest entry's first byte; entries follow each other
    private int _usedBytes;
    private bool _shutdown;
    private bool _completed;
    private bool _disposed;
    private WakeFd? _wake;

    /// <summary>A ring of <paramref name="capacity"/> entries of up to <paramref name="slotSize"/> bytes each (always room for all of them).</summary>
    public SlotRing(int capacity, int slotSize)
        : this(capacity, slotSize, checked(capacity * slotSize))
    {
    }

    /// <summary>A ring of up to <paramref name="capacity"/> entries of up to <paramref name="slotSize"/> bytes, at most <paramref name="bytes"/> bytes in all.</summary>
    public SlotRing(int capacity, int slotSize, int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slotSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, 1);
        _arena = new byte[bytes];
        _lengths = new int[capacity];
        _tags = new NetEndpoint[capacity];
        _locals = new NetEndpoint[capacity];
        SlotSize = slotSize;
    }

    /// <summary>Entries queued now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The most entries the ring holds.</summary>
    public int Capacity => _lengths.Length;

    /// <summary>The largest entry the ring takes.</summary>
    public int SlotSize { get; }

    /// <summary>Bytes of all entries queued now.</summary>
    public int Bytes
    {
        get
        {
            lock (_lock)
            {
                return _usedBytes;
            }
        }
    }

    /// <summary>True after <see cref="Shutdown"/>: the reader is gone, pushes are refused.</summary>
    public bool IsShutdown
    {
        get
        {
            lock (_lock)
            {
                return _shutdown;
            }
        }
    }

    /// <summary>True after <see cref="CompleteWriting"/>: the writer is gone; what is queued can still be popped.</summary>
    public bool IsWritingCompleted
    {
        get
        {
            lock (_lock)
            {
                return _completed;
            }
        }
    }

    /// <summary>
    /// An eventfd readable while entries are queued and after <see cref="Shutdown"/> or
    /// <see cref="CompleteWriting"/> (made on first use). Poll it; do not read it.
    /// </summary>
    public SafeHandle WakeHandle
    {
        get
        {
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_wake is null)
                {
                    _wake = WakeFd.Create("a fake packet ring");
                    if (_count > 0 || _shutdown || _completed)
                    {
                        _wake.Signal();
                    }
                }
                return _wake.Handle;
            }
        }
    }

    /// <summary>Queues a copy of <paramref name="data"/> tagged <paramref name="tag"/>; throws when the ring is full or shut down.</summary>
    public void Push(ReadOnlySpan<byte> data, NetEndpoint tag = default)
    {
        if (!TryPush(data, tag, default))
        {
            throw new InvalidOperationException(
                IsShutdown ? "fake ring is shut down" :
                data.Length > SlotSize ? $"fake ring entry of {data.Length} bytes is larger than its slots ({SlotSize} bytes)" :
                "fake ring is full");
        }
    }

    /// <summary>Queues a copy of <paramref name="data"/> with both tags; false (nothing queued) when it does not fit or the ring is shut down.</summary>
    public bool TryPush(ReadOnlySpan<byte> data, in NetEndpoint tag, in NetEndpoint local)
    {
        lock (_lock)
        {
            if (_shutdown || _count == _lengths.Length || data.Length > SlotSize || data.Length > _arena.Length - _usedBytes)
            {
                return false;
            }
            var start = (_readOffset + _usedBytes) % _arena.Length;
            var first = Math.Min(data.Length, _arena.Length - start);
            data[..first].CopyTo(_arena.AsSpan(start));
            data[first..].CopyTo(_arena);
            var i = (_head + _count) % _lengths.Length;
            _lengths[i] = data.Length;
            _tags[i] = tag;
            _locals[i] = local;
            _usedBytes += data.Length;
            if (_count++ == 0)
            {
                _wake?.Signal();
                Monitor.PulseAll(_lock);
            }
            return true;
        }
    }

    /// <summary>
    /// Copies the oldest entry into <paramref name="destination"/> and removes it; returns its length,
    /// or −1 when it did not fit (the part that fits is copied, as a cut datagram). Throws when empty.
    /// </summary>
    public int Pop(Span<byte> destination, out NetEndpoint tag) => Pop(destination, out tag, out _);

    /// <summary>Like <see cref="Pop(Span{byte}, out NetEndpoint)"/>, with the second tag.</summary>
    public int Pop(Span<byte> destination, out NetEndpoint tag, out NetEndpoint local)
    {
        if (!TryPop(destination, out var length, out tag, out local))
        {
            throw new InvalidOperationException("fake ring is empty");
        }
        return length;
    }

    /// <summary>Pops the oldest entry as <see cref="Pop(Span{byte}, out NetEndpoint, out NetEndpoint)"/> does; false when the ring is empty.</summary>
    public bool TryPop(Span<byte> destination, out int length, out NetEndpoint tag, out NetEndpoint local)
    {
        lock (_lock)
        {
            if (_count == 0)
            {
                length = 0;
                tag = default;
                local = default;
                return false;
            }
            var n = _lengths[_head];
            tag = _tags[_head];
            local = _locals[_head];
            var copy = Math.Min(n, destination.Length);
            var first = Math.Min(copy, _arena.Length - _readOffset);
            _arena.AsSpan(_readOffset, first).CopyTo(destination);
            _arena.AsSpan(0, copy - first).CopyTo(destination[first..]);
            _readOffset = (_readOffset + n) % _arena.Length;
            _usedBytes -= n;
            _head = (_head + 1) % _lengths.Length;
            if (--_count == 0)
            {
                _readOffset = 0;
                if (!_shutdown && !_completed)
                {
                    _wake?.Consume();
                }
            }
            length = n <= destination.Length ? n : -1;
            return true;
        }
    }

    /// <summary>Pops the oldest entry into a new array (tests only: allocates).</summary>
    public byte[] PopArray()
    {
        var buffer = new byte[Math.Max(SlotSize, 1)];
        var n = Pop(buffer, out _);
        return buffer.AsSpan(0, n).ToArray();
    }

    /// <summary>
    /// Blocks until an entry is queued, the ring is shut down or writing completed, or the timeout
    /// passes (−1 = never); true unless it timed out.
    /// </summary>
    public bool WaitReadable(int millisecondsTimeout)
    {
        var deadline = Environment.TickCount64 + millisecondsTimeout;
        lock (_lock)
        {
            while (_count == 0 && !_shutdown && !_completed)
            {
                if (millisecondsTimeout < 0)
                {
                    Monitor.Wait(_lock);
                    continue;
                }
                var left = deadline - Environment.TickCount64;
                if (left <= 0)
                {
                    return false;
                }
                Monitor.Wait(_lock, (int)left);
            }
            return true;
        }
    }

    /// <summary>The reader is gone: pushes are refused from now on, waiters wake, <see cref="WakeHandle"/> stays readable. Idempotent.</summary>
    public void Shutdown() => SetForGood(ref _shutdown);

    /// <summary>The writer is gone: waiters wake and <see cref="WakeHandle"/> stays readable; queued entries can still be popped. Idempotent.</summary>
    public void CompleteWriting() => SetForGood(ref _completed);

    // Either end gone: the ring is readable from now on (a read returns at once).
    private void SetForGood(ref bool flag)
    {
        lock (_lock)
        {
            if (!flag)
            {
                flag = true;
                _wake?.Signal();
                Monitor.PulseAll(_lock);
            }
        }
    }

    /// <summary>Closes <see cref="WakeHandle"/>; queued entries stay readable.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _wake?.Dispose();
        }
    }
}
