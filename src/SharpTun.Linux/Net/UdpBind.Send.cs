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

    // Datagrams per message slot of a send: a sendmmsg of BatchSize messages carries up to this many
    // times BatchSize datagrams when GSO joins them (a pump flushes several 64 KB reads to one peer).
    private const int SendIovecsPerMessage = 4;

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
        // The pktinfo is written once into message 0's control room; Plan copies it for the others.
        var sourceLength = destination.Local.IsSet
            ? ControlMessages.WriteSource(tx.Control, destination.Local, destination.InterfaceIndex, _family)
            : 0;
        var limit = destination.Remote.IsIPv6 ? SockOpt.UdpMaxPayloadV6 : SockOpt.UdpMaxPayloadV4;
        var gso = datagrams.Length >= 2 && Volatile.Read(ref _gso) != 0;
        var refused = 0; // errno of a refused GSO message, blamed on GSO once the same datagrams go without it
        var done = 0;
        while (done < datagrams.Length)
        {
            int messages, n;
            tx.Begin();
            try
            {
                messages = Plan(tx, datagrams[done..], offset, nameLength, sourceLength, gso, limit);
                n = Libc.SendMmsg(_socket.SafeHandle, tx.Messages, (uint)messages, 0);
            }
            finally
            {
                tx.End();
            }
            Interlocked.Increment(ref _sendCalls);
            if (n > 0)
            {
                if (refused != 0)
                {
                    DisableGso(refused, destination);
                    refused = 0;
                }
                Account(tx, n, ref done);
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
            if (gso && tx.Datagrams[0] > 1 && errno is Errno.EIO or Errno.EINVAL or Errno.EMSGSIZE)
            {
                // udp_send_skb: EIO for a route through IPsec (or, before 6.11, a device without
                // checksum offload); EMSGSIZE (EINVAL before 6.3) when gso_size + headers exceed the
                // path MTU; EINVAL from a kernel without UDP_SEGMENT. Resend without GSO.
                gso = false;
                refused = errno;
                continue;
            }
            refused = 0; // the datagrams fail without GSO too: not GSO's fault
            if (sourceLength != 0 && errno is Errno.EINVAL or Errno.EADDRNOTAVAIL or Errno.ENETUNREACH)
            {
                // The source the peer spoke to is no longer ours (address removed; IPv4 says ENETUNREACH,
                // IPv6 EINVAL): let routing pick one. A real routing failure fails again and is returned.
                sourceLength = 0;
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

    /// <summary>
    /// Fills message headers for <paramref name="datagrams"/> (as many as the header set holds); returns
    /// the message count. With <paramref name="gso"/>, a run of same-size datagrams (the last may be
    /// shorter), at most <see cref="SockOpt.UdpMaxSegments"/> and <paramref name="limit"/> bytes, is one
    /// message with a UDP_SEGMENT control; a size change or a limit starts the next message.
    /// </summary>
    private static int Plan(MessageBuffers tx, ReadOnlySpan<Memory<byte>> datagrams, int offset, int nameLength, int sourceLength, bool gso, int limit)
    {
        var messages = 0;
        var iov = 0;
        var i = 0;
        while (i < datagrams.Length && iov < tx.IovecCapacity && messages < tx.Capacity)
        {
            var size = datagrams[i].Length - offset;
            var count = 1;
            if (gso && size > 0)
            {
                var most = Math.Min(SockOpt.UdpMaxSegments, Math.Min(datagrams.Length - i, tx.IovecCapacity - iov));
                var total = size;
                while (count < most)
                {
                    // A 0-byte datagram would vanish inside the message: it goes on its own.
                    var next = datagrams[i + count].Length - offset;
                    if (next > size || next <= 0 || total + next > limit)
                    {
                        break;
                    }
                    count++;
                    total += next;
                    if (next < size)
                    {
                        break;
                    }
                }
            }
            for (var j = 0; j < count; j++)
            {
                tx.SetIovec(iov + j, datagrams[i + j], offset);
            }
            var control = tx.Control + messages * tx.ControlSpace;
            if (messages > 0 && sourceLength > 0)
            {
                Buffer.MemoryCopy(tx.Control, control, tx.ControlSpace, sourceLength);
            }
            var controlLength = sourceLength + (count > 1 ? ControlMessages.WriteSegment(control + sourceLength, size) : 0);
            ref var h = ref tx.Messages[messages].Header;
            h.Name = tx.Names;
            h.NameLength = (uint)nameLength;
            h.Iov = &tx.Iovecs[iov];
            h.IovLength = (nuint)count;
            h.Control = controlLength == 0 ? null : control;
            h.ControlLength = (nuint)controlLength;
            h.Flags = 0;
            tx.Datagrams[messages] = count;
            messages++;
            iov += count;
            i += count;
        }
        return messages;
    }

    /// <summary>Counts the first <paramref name="sent"/> messages as done (and GSO's share of them).</summary>
    private void Account(MessageBuffers tx, int sent, ref int done)
    {
        long gsoSends = 0, gsoSegments = 0;
        for (var m = 0; m < sent; m++)
        {
            var count = tx.Datagrams[m];
            done += count;
            if (count > 1)
            {
                gsoSends++;
                gsoSegments += count;
            }
        }
        if (gsoSends > 0)
        {
            Interlocked.Add(ref _gsoSends, gsoSends);
            Interlocked.Add(ref _gsoSegments, gsoSegments);
        }
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
