using System.Runtime.InteropServices;
using SharpTun.IO;
using SharpTun.Linux.Interop;
using SharpTun.Netlink;

namespace SharpTun.Linux.Net;

public sealed unsafe partial class UdpBind
{
    private readonly MessageBuffers _rx;

    /// <inheritdoc/>
    public int Receive(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, Span<DatagramEndpoint> endpoints, int offset)
    {
        var max = Math.Min(Math.Min(buffers.Length, sizes.Length), Math.Min(endpoints.Length, BatchSize));
        if (max == 0)
        {
            return 0;
        }
        while (Volatile.Read(ref _shutdown) == 0)
        {
            int n;
            try
            {
                for (var i = 0; i < max; i++)
                {
                    _rx.Pin(i, buffers[i], offset);
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
                // Non-blocking socket: returns what is queued (up to max), or EAGAIN.
                n = Libc.RecvMmsg(_socket.SafeHandle, _rx.Messages, (uint)max, 0, null);
            }
            finally
            {
                _rx.Unpin();
            }
            if (n > 0)
            {
                for (var i = 0; i < n; i++)
                {
                    ref var m = ref _rx.Messages[i];
                    sizes[i] = (m.Header.Flags & Libc.MSG_TRUNC) != 0 ? -1 : (int)m.Length;
                    var remote = SockAddr.Read(new ReadOnlySpan<byte>(m.Header.Name, (int)m.Header.NameLength));
                    ControlMessages.Parse(m.Header.Control, m.Header.ControlLength, out var local, out var ifindex, out _);
                    endpoints[i] = local.IsSet ? new DatagramEndpoint(remote, local, ifindex) : new DatagramEndpoint(remote);
                }
                return n;
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
}
