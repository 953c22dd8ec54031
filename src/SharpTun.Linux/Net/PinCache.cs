using System.Runtime.InteropServices;

namespace SharpTun.Linux.Net;

/// <summary>
/// Pins the arrays behind callers' <see cref="Memory{T}"/> buffers once and keeps them pinned, so a
/// batch call costs a reference comparison per buffer instead of a pinned GCHandle per buffer per
/// call. A pump hands the same few arrays (usually one block sliced into slots) on every call: the
/// last hit is checked first.
/// <para>Bounded: at most <c>capacity</c> arrays stay pinned (and alive) until evicted round-robin
/// or disposed. An entry used in the current call (see <see cref="Begin"/>) is never evicted, since
/// an iovec points into it; when every entry is in use, <see cref="TryGet"/> says no and the caller
/// pins that buffer for the call only. One user at a time.</para>
/// </summary>
internal sealed unsafe class PinCache : IDisposable
{
    private readonly byte[]?[] _arrays;
    private readonly GCHandle[] _handles;
    private readonly nint[] _bases;
    private readonly int[] _stamps;
    private int _count;
    private int _last;
    private int _victim;
    private int _stamp;

    internal PinCache(int capacity)
    {
        _arrays = new byte[capacity][];
        _handles = new GCHandle[capacity];
        _bases = new nint[capacity];
        _stamps = new int[capacity];
    }

    /// <summary>How many arrays are pinned now (tests).</summary>
    internal int Count => _count;

    /// <summary>How many arrays were pinned since creation (tests: a steady pump pins once).</summary>
    internal long Pins { get; private set; }

    /// <summary>Starts a call: entries used from now on are held until the next <see cref="Begin"/>.</summary>
    internal void Begin() => _stamp++;

    /// <summary>The address of <paramref name="array"/>'s first element, pinned until evicted; false when no entry can be freed in this call.</summary>
    internal bool TryGet(byte[] array, out byte* pointer)
    {
        var i = _last;
        if (!ReferenceEquals(_arrays[i], array))
        {
            i = Find(array);
            if (i < 0)
            {
                i = Add(array);
                if (i < 0)
                {
                    pointer = null;
                    return false;
                }
            }
            _last = i;
        }
        _stamps[i] = _stamp;
        pointer = (byte*)_bases[i];
        return true;
    }

    private int Find(byte[] array)
    {
        for (var i = 0; i < _count; i++)
        {
            if (ReferenceEquals(_arrays[i], array))
            {
                return i;
            }
        }
        return -1;
    }

    private int Add(byte[] array)
    {
        int i;
        if (_count < _arrays.Length)
        {
            i = _count++;
        }
        else
        {
            i = -1;
            for (var probe = 0; probe < _arrays.Length; probe++)
            {
                var candidate = (_victim + probe) % _arrays.Length;
                if (_stamps[candidate] != _stamp)
                {
                    i = candidate;
                    break;
                }
            }
            if (i < 0)
            {
                return -1;
            }
            _victim = (i + 1) % _arrays.Length;
            _handles[i].Free();
        }
        _handles[i] = GCHandle.Alloc(array, GCHandleType.Pinned);
        _bases[i] = _handles[i].AddrOfPinnedObject();
        _arrays[i] = array;
        Pins++;
        return i;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        for (var i = 0; i < _count; i++)
        {
            _handles[i].Free();
            _arrays[i] = null;
        }
        _count = 0;
    }
}
