using System.Runtime.InteropServices;
using SharpTun.IO;
using SharpTun.Linux.Interop;
using SharpTun.Netlink;

namespace SharpTun.Linux.IO;

/// <summary>
/// An epoll fd holding one I/O fd and a <see cref="WakeEvent"/>, both level-triggered for input:
/// it polls readable while the I/O fd has data or after the wake-up was signalled. It is the
/// <c>PollHandle</c> of a queue or bind (an event loop can wait on it with other fds) and what
/// their blocking calls wait on.
/// </summary>
internal sealed unsafe class ReadySet : IDisposable
{
    private ReadySet(SafeFdHandle epoll, WakeEvent wake)
    {
        Handle = epoll;
        Wake = wake;
    }

    /// <summary>The epoll fd.</summary>
    internal SafeFdHandle Handle { get; }

    /// <summary>The wake-up in the set (signal it to stop a waiter).</summary>
    internal WakeEvent Wake { get; }

    /// <summary>A set of <paramref name="io"/> (not owned) and a new wake-up; <paramref name="owner"/> names it in errors.</summary>
    internal static ReadySet Create(SafeHandle io, string owner)
    {
        var fd = Libc.EpollCreate1(Libc.EPOLL_CLOEXEC);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new PacketIOException($"cannot create the epoll set of {owner}: {Errno.Describe(errno)}", owner, errno);
        }
        var epoll = new SafeFdHandle(fd);
        WakeEvent? wake = null;
        try
        {
            wake = WakeEvent.Create(owner);
            AddInput(epoll, io, owner);
            AddInput(epoll, wake.Handle, owner);
            return new ReadySet(epoll, wake);
        }
        catch
        {
            wake?.Dispose();
            epoll.Dispose();
            throw;
        }
    }

    /// <summary>Waits until the I/O fd is readable or the wake-up was signalled (or the time passed; -1 = forever).</summary>
    internal void Wait(int timeoutMilliseconds, string owner)
    {
        byte* events = stackalloc byte[2 * Libc.EpollEventSize];
        while (Libc.EpollWait(Handle, events, 2, timeoutMilliseconds) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR)
            {
                throw new PacketIOException($"cannot wait for {owner}: {Errno.Describe(errno)}", owner, errno);
            }
        }
    }

    private static void AddInput(SafeFdHandle epoll, SafeHandle fd, string owner)
    {
        byte* ev = stackalloc byte[Libc.EpollEventSize];
        new Span<byte>(ev, Libc.EpollEventSize).Clear();
        *(uint*)ev = Libc.EPOLLIN;
        if (Libc.EpollCtl(epoll, Libc.EPOLL_CTL_ADD, fd, ev) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new PacketIOException($"cannot watch {owner} with epoll: {Errno.Describe(errno)}", owner, errno);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Handle.Dispose();
        Wake.Dispose();
    }
}
