using System.Buffers;
using System.Runtime.InteropServices;
using SharpTun.Linux.Interop;

namespace SharpTun.Linux.Net;

/// <summary>
/// Native headers for one recvmmsg(2)/sendmmsg(2) batch: <c>mmsghdr</c>s, <c>iovec</c>s (one per
/// datagram; a GSO message points at several in a row), address and control room per message,
/// allocated once; the caller's arrays stay pinned in a <see cref="PinCache"/> across calls. One
/// user at a time.
/// </summary>
internal sealed unsafe class MessageBuffers : IDisposable
{
    private readonly PinCache _cache;
    private readonly MemoryHandle[] _callPins;
    private int _callPinned;

    internal MessageBuffers(int capacity, int iovecs, int names, int controlSpace, int controls)
    {
        Capacity = capacity;
        IovecCapacity = iovecs;
        ControlSpace = controlSpace;
        Messages = (MMsgHdr*)NativeMemory.AllocZeroed((nuint)(capacity * sizeof(MMsgHdr)));
        Iovecs = (IoVec*)NativeMemory.AllocZeroed((nuint)(iovecs * sizeof(IoVec)));
        Names = (byte*)NativeMemory.AllocZeroed((nuint)(names * SockAddr.Space));
        Control = (byte*)NativeMemory.AllocZeroed((nuint)(controls * controlSpace));
        Datagrams = new int[capacity];
        _cache = new PinCache(capacity);
        _callPins = new MemoryHandle[iovecs];
    }

    /// <summary>Messages per call.</summary>
    internal int Capacity { get; }

    /// <summary>Iovecs (datagrams) per call.</summary>
    internal int IovecCapacity { get; }

    internal int ControlSpace { get; }

    internal MMsgHdr* Messages { get; }

    internal IoVec* Iovecs { get; }

    internal byte* Names { get; }

    internal byte* Control { get; }

    /// <summary>Per message of a send: how many datagrams (iovecs) it carries.</summary>
    internal int[] Datagrams { get; }

    /// <summary>The pin cache (tests read how often it pinned).</summary>
    internal PinCache Pins => _cache;

    /// <summary>Starts a call: iovecs set from now on stay valid until <see cref="End"/>.</summary>
    internal void Begin() => _cache.Begin();

    /// <summary>Points iovec <paramref name="index"/> at <c>memory[offset..]</c>, pinned until <see cref="End"/> at least.</summary>
    internal void SetIovec(int index, Memory<byte> memory, int offset)
    {
        var slice = memory[offset..];
        byte* pointer;
        if (MemoryMarshal.TryGetArray<byte>(slice, out var segment) && segment.Array is { } array && _cache.TryGet(array, out var arrayBase))
        {
            pointer = arrayBase + segment.Offset;
        }
        else
        {
            // Not array-backed (a MemoryManager), or every cache entry is in use by this call.
            _callPins[_callPinned] = slice.Pin();
            pointer = (byte*)_callPins[_callPinned].Pointer;
            _callPinned++;
        }
        Iovecs[index].Base = pointer;
        Iovecs[index].Length = (nuint)slice.Length;
    }

    /// <summary>Points iovec <paramref name="index"/> at native memory the caller keeps alive.</summary>
    internal void SetIovec(int index, byte* pointer, int length)
    {
        Iovecs[index].Base = pointer;
        Iovecs[index].Length = (nuint)length;
    }

    /// <summary>Ends a call: releases the pins taken for this call only.</summary>
    internal void End()
    {
        for (var i = 0; i < _callPinned; i++)
        {
            _callPins[i].Dispose();
            _callPins[i] = default;
        }
        _callPinned = 0;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        End();
        _cache.Dispose();
        NativeMemory.Free(Messages);
        NativeMemory.Free(Iovecs);
        NativeMemory.Free(Names);
        NativeMemory.Free(Control);
    }
}
