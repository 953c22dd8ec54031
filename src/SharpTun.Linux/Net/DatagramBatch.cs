using System.Net.Sockets;
using System.Runtime.InteropServices;
using SharpTun.Linux.Interop;

namespace SharpTun.Linux.Net;

/// <summary>
/// Batched UDP I/O: one recvmmsg(2) receives up to <see cref="Capacity"/> datagrams into native
/// slots owned by this object; one sendmmsg(2) sends many datagrams straight from a caller's
/// buffer. All memory (headers, iovecs, addresses, slots) is allocated once; no allocation per
/// call. Not thread-safe: use one instance for receiving and another for sending.
/// Addresses are raw <c>struct sockaddr</c> bytes, the layout .NET's <see cref="System.Net.SocketAddress"/> buffer uses on Linux.
/// </summary>
public sealed unsafe class DatagramBatch : IDisposable
{
    private const int AddressSize = 128; // sizeof(struct sockaddr_storage)
    private readonly LibcMmsg.MMsgHdr* _messages;
    private readonly LibcMmsg.IoVec* _iovecs;
    private readonly byte* _addresses;
    private readonly byte* _slots;
    private readonly int _slotSize;
    private bool _disposed;

    /// <summary>Room for <paramref name="capacity"/> datagrams of up to <paramref name="slotSize"/> bytes each (receiving).</summary>
    public DatagramBatch(int capacity, int slotSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slotSize, 1);
        Capacity = capacity;
        _slotSize = slotSize;
        _messages = (LibcMmsg.MMsgHdr*)NativeMemory.AllocZeroed((nuint)(capacity * sizeof(LibcMmsg.MMsgHdr)));
        _iovecs = (LibcMmsg.IoVec*)NativeMemory.AllocZeroed((nuint)(capacity * sizeof(LibcMmsg.IoVec)));
        _addresses = (byte*)NativeMemory.AllocZeroed((nuint)(capacity * AddressSize));
        _slots = (byte*)NativeMemory.Alloc((nuint)capacity * (nuint)slotSize);
    }

    /// <summary>Datagrams per call.</summary>
    public int Capacity { get; }

    /// <summary>
    /// Waits for at least one datagram (or the socket's receive timeout) and takes every datagram
    /// already queued, up to <see cref="Capacity"/>. Returns the count; 0 when the timeout passed.
    /// Throws <see cref="SocketException"/> for socket errors (ECONNREFUSED included: the caller decides).
    /// </summary>
    public int Receive(SafeSocketHandle socket)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        for (var i = 0; i < Capacity; i++)
        {
            _iovecs[i].Base = _slots + (nint)i * _slotSize;
            _iovecs[i].Length = (nuint)_slotSize;
            ref var h = ref _messages[i].Header;
            h.Name = _addresses + i * AddressSize;
            h.NameLength = AddressSize;
            h.Iov = &_iovecs[i];
            h.IovLength = 1;
            h.Control = null;
            h.ControlLength = 0;
            h.Flags = 0;
            _messages[i].Length = 0;
        }
        while (true)
        {
            var n = LibcMmsg.RecvMmsg(socket, _messages, (uint)Capacity, LibcMmsg.MSG_WAITFORONE, null);
            if (n >= 0)
            {
                return n;
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno == LibcIo.EINTR)
            {
                continue;
            }
            if (errno == Errno.EAGAIN)
            {
                return 0;
            }
            throw new SocketException((int)ToSocketError(errno));
        }
    }

    /// <summary>Datagram <paramref name="index"/> of the last <see cref="Receive"/>.</summary>
    public ReadOnlySpan<byte> Datagram(int index) => new(_slots + (nint)index * _slotSize, (int)_messages[index].Length);

    /// <summary>True when datagram <paramref name="index"/> was longer than a slot (its tail was cut).</summary>
    public bool Truncated(int index) => (_messages[index].Header.Flags & LibcMmsg.MSG_TRUNC) != 0;

    /// <summary>The raw source address of datagram <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Source(int index) => new(_addresses + index * AddressSize, (int)_messages[index].Header.NameLength);

    /// <summary>
    /// Sends the datagrams <c>buffer[offsets[i] .. offsets[i] + lengths[i]]</c> with as few
    /// sendmmsg(2) calls as the kernel allows, to <paramref name="destination"/> (raw sockaddr) or,
    /// when it is empty, to the connected peer. Returns 0, or the errno that stopped it (the
    /// datagrams from there on are not sent).
    /// </summary>
    public int Send(SafeSocketHandle socket, ReadOnlySpan<byte> buffer, ReadOnlySpan<int> offsets, ReadOnlySpan<int> lengths, ReadOnlySpan<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var count = Math.Min(offsets.Length, lengths.Length);
        fixed (byte* b = buffer)
        fixed (byte* d = destination)
        {
            var done = 0;
            while (done < count)
            {
                var chunk = Math.Min(Capacity, count - done);
                for (var i = 0; i < chunk; i++)
                {
                    _iovecs[i].Base = b + offsets[done + i];
                    _iovecs[i].Length = (nuint)lengths[done + i];
                    ref var h = ref _messages[i].Header;
                    h.Name = destination.IsEmpty ? null : d;
                    h.NameLength = (uint)destination.Length;
                    h.Iov = &_iovecs[i];
                    h.IovLength = 1;
                    h.Control = null;
                    h.ControlLength = 0;
                    h.Flags = 0;
                }
                var n = LibcMmsg.SendMmsg(socket, _messages, (uint)chunk, 0);
                if (n < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == LibcIo.EINTR)
                    {
                        continue;
                    }
                    return errno;
                }
                done += n;
            }
        }
        return 0;
    }

    /// <summary>Maps an errno to the <see cref="SocketError"/> .NET would report.</summary>
    public static SocketError ToSocketError(int errno) => errno switch
    {
        111 => SocketError.ConnectionRefused,
        104 => SocketError.ConnectionReset,
        105 => SocketError.NoBufferSpaceAvailable,
        Errno.EBADF => SocketError.OperationAborted,
        101 => SocketError.NetworkUnreachable,
        113 => SocketError.HostUnreachable,
        11 => SocketError.WouldBlock,
        90 => SocketError.MessageSize,
        _ => SocketError.SocketError,
    };

    /// <summary>Frees the native memory.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        NativeMemory.Free(_messages);
        NativeMemory.Free(_iovecs);
        NativeMemory.Free(_addresses);
        NativeMemory.Free(_slots);
    }
}
