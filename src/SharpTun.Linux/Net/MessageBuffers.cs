using System.Buffers;
using System.Runtime.InteropServices;
using SharpTun.Linux.Interop;

namespace SharpTun.Linux.Net;

/// <summary>
/// Native headers for one recvmmsg(2)/sendmmsg(2) batch: <c>mmsghdr</c>, <c>iovec</c>, address and
/// control room per message, allocated once; plus the pins that hold the caller's buffers still
/// during the call. One user at a time.
/// </summary>
internal sealed unsafe class MessageBuffers : IDisposable
{
    private readonly MemoryHandle[] _pins;
    private int _pinned;

    internal MessageBuffers(int capacity, int names, int controlSpace, int controls)
    {
        Capacity = capacity;
        ControlSpace = controlSpace;
        Messages = (MMsgHdr*)NativeMemory.AllocZeroed((nuint)(capacity * sizeof(MMsgHdr)));
        Iovecs = (IoVec*)NativeMemory.AllocZeroed((nuint)(capacity * sizeof(IoVec)));
        Names = (byte*)NativeMemory.AllocZeroed((nuint)(names * SockAddr.Space));
        Control = (byte*)NativeMemory.AllocZeroed((nuint)(controls * controlSpace));
        _pins = new MemoryHandle[capacity];
    }

    internal int Capacity { get; }

    internal int ControlSpace { get; }

    internal MMsgHdr* Messages { get; }

    internal IoVec* Iovecs { get; }

    internal byte* Names { get; }

    internal byte* Control { get; }

    /// <summary>Pins <paramref name="memory"/> for message <paramref name="index"/> and points its iovec at <c>memory[offset..]</c>.</summary>
    internal void Pin(int index, Memory<byte> memory, int offset)
    {
        var slice = memory[offset..];
        _pins[index] = slice.Pin();
        _pinned = index + 1;
        Iovecs[index].Base = (byte*)_pins[index].Pointer;
        Iovecs[index].Length = (nuint)slice.Length;
    }

    /// <summary>Releases the pins taken since the last call.</summary>
    internal void Unpin()
    {
        for (var i = 0; i < _pinned; i++)
        {
            _pins[i].Dispose();
            _pins[i] = default;
        }
        _pinned = 0;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Unpin();
        NativeMemory.Free(Messages);
        NativeMemory.Free(Iovecs);
        NativeMemory.Free(Names);
        NativeMemory.Free(Control);
    }
}
