using System.Runtime.InteropServices;
using SharpTun.IO;
using SharpTun.Linux.IO;
using SharpTun.Linux.Interop;
using SharpTun.Netlink;

namespace SharpTun.Linux.Net;

public sealed unsafe partial class UdpBind
{
    // Header sets for concurrent senders; a sender spins for one when all are taken.
    private const int SendSlots = 4;

    // How long a send waits for socket buffer room (EAGAIN) before giving up the batch.
    private const int SendWaitMilliseconds = 1000;

    private readonly MessageBuffers[] _tx;
    private readonly int[] _txBusy = new int[SendSlots];
    private long _sourceFallbacks;

    /// <inheritdoc/>
    public int Send(ReadOnlySpan<Memory<byte>> datagrams, int offset, in DatagramEndpoint destination)
    {
        if (datagrams.IsEmpty)
        {
            return 0;
        }
        var slot = AcquireSendSlot();
        try
        {
            return Send(_tx[slot], datagrams, offset, destination);
        }
        finally
        {
            Volatile.Write(ref _txBusy[slot], 0);
        }
    }

    private int Send(MessageBuffers tx, ReadOnlySpan<Memory<byte>> datagrams, int offset, in DatagramEndpoint destination)
    {
        var nameLength = SockAddr.Write(new Span<byte>(tx.Names, SockAddr.Space), destination.Remote, _family);
        if (nameLength == 0)
        {
            return destination.Remote.IsSet ? Errno.EAFNOSUPPORT : Errno.EDESTADDRREQ;
        }
        var controlLength = destination.Local.IsSet
            ? ControlMessages.WriteSource(tx.Control, destination.Local, destination.InterfaceIndex, _family)
            : 0;
        var done = 0;
        while (done < datagrams.Length)
        {
            var chunk = Math.Min(tx.Capacity, datagrams.Length - done);
            int n;
            try
            {
                for (var i = 0; i < chunk; i++)
                {
                    tx.Pin(i, datagrams[done + i], offset);
                    ref var h = ref tx.Messages[i].Header;
                    h.Name = tx.Names;
                    h.NameLength = (uint)nameLength;
                    h.Iov = &tx.Iovecs[i];
                    h.IovLength = 1;
                    h.Control = controlLength == 0 ? null : tx.Control;
                    h.ControlLength = (nuint)controlLength;
                    h.Flags = 0;
                }
                n = Libc.SendMmsg(_socket.SafeHandle, tx.Messages, (uint)chunk, 0);
            }
            finally
            {
                tx.Unpin();
            }
            if (n > 0)
            {
                done += n;
                continue;
            }
            var errno = n < 0 ? Marshal.GetLastPInvokeError() : Errno.EAGAIN;
            if (errno == Errno.EINTR)
            {
                continue;
            }
            if (errno == Errno.EAGAIN)
            {
                if (Volatile.Read(ref _shutdown) == 0 && FdWait.Writable(_socket.SafeHandle, _ready.Wake, SendWaitMilliseconds))
                {
                    continue;
                }
                return errno;
            }
            if (controlLength != 0 && errno is Errno.EINVAL or Errno.EADDRNOTAVAIL or Errno.ENETUNREACH)
            {
                // The source the peer spoke to is no longer ours (address removed; IPv4 says ENETUNREACH,
                // IPv6 EINVAL): let routing pick one. A real routing failure fails again and is returned.
                controlLength = 0;
                Interlocked.Increment(ref _sourceFallbacks);
                continue;
            }
            if (errno is Errno.EBADF or Errno.ENOTSOCK or Errno.EFAULT)
            {
                throw Broken(errno, "send on");
            }
            return errno;
        }
        return 0;
    }

    private int AcquireSendSlot()
    {
        var spin = default(SpinWait);
        while (true)
        {
            for (var i = 0; i < SendSlots; i++)
            {
                if (Interlocked.CompareExchange(ref _txBusy[i], 1, 0) == 0)
                {
                    return i;
                }
            }
            spin.SpinOnce();
        }
    }
}
