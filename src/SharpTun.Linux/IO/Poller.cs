using System.Runtime.InteropServices;
using SharpTun.IO;
using SharpTun.Linux.Interop;
using SharpTun.Netlink;

namespace SharpTun.Linux.IO;

/// <summary>
/// Waits on several file descriptors at once — <see cref="IPacketQueue.PollHandle"/>,
/// <see cref="IDatagramBind.PollHandle"/>, a <see cref="System.Net.Sockets.Socket.SafeHandle"/> —
/// plus its own wake-up, with one epoll set. One event loop owns it: <see cref="Add"/>,
/// <see cref="SetEvents"/> and <see cref="Wait"/> run on that thread; <see cref="Wake"/> from any
/// thread. Sources are numbered in the order they were added. A wait is one epoll_wait(2) and
/// allocates nothing; the interest set lives in the kernel (registered once, changed with one
/// epoll_ctl(2) only when <see cref="SetEvents"/> changes it), so a wait costs the same whatever
/// the number of sources, unlike poll(2), which registers every fd on every call.
/// Level-triggered: a source stays ready until it is drained. A source whose fd is closed drops
/// out of the set by itself (the kernel removes a closed file from every epoll set).
/// </summary>
public sealed unsafe class Poller : IDisposable
{
    // The epoll data member of the wake-up; sources carry their index.
    private const ulong WakeTag = ulong.MaxValue;

    private readonly SafeFdHandle _epoll;
    private readonly WakeEvent _wake;
    private SafeHandle[] _handles = new SafeHandle[4];
    private PollEvents[] _interest = new PollEvents[4];
    private PollEvents[] _ready = new PollEvents[4];
    private byte[] _events = new byte[5 * Libc.EpollEventStride]; // room for every source and the wake-up
    private int _count;
    private bool _disposed;

    /// <summary>A poller with no sources.</summary>
    public Poller()
    {
        var fd = Libc.EpollCreate1(Libc.EPOLL_CLOEXEC);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new PacketIOException($"cannot create the poller's epoll set: {Errno.Describe(errno)}", "poller", errno);
        }
        _epoll = new SafeFdHandle(fd);
        try
        {
            _wake = WakeEvent.Create("the poller");
            Control(Libc.EPOLL_CTL_ADD, _wake.Handle, Libc.EPOLLIN, WakeTag);
        }
        catch
        {
            _wake?.Dispose();
            _epoll.Dispose();
            throw;
        }
    }

    /// <summary>The number of sources added.</summary>
    public int Count => _count;

    /// <summary>True when the last <see cref="Wait"/> returned because of <see cref="Wake"/>.</summary>
    public bool WasWoken { get; private set; }

    /// <summary>
    /// Adds <paramref name="handle"/> (not owned: keep it open while it is polled), waiting for
    /// <paramref name="events"/>; returns its index for <see cref="Ready"/> and <see cref="SetEvents"/>.
    /// A handle can be added once per poller.
    /// </summary>
    public int Add(SafeHandle handle, PollEvents events = PollEvents.Readable)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_count == _interest.Length)
        {
            Array.Resize(ref _handles, _count * 2);
            Array.Resize(ref _interest, _count * 2);
            Array.Resize(ref _ready, _count * 2);
            _events = new byte[(_count * 2 + 1) * Libc.EpollEventStride];
        }
        Control(Libc.EPOLL_CTL_ADD, handle, ToEpoll(events), (ulong)_count);
        _handles[_count] = handle;
        _interest[_count] = events;
        _ready[_count] = PollEvents.None;
        return _count++;
    }

    /// <summary>
    /// Changes what source <paramref name="index"/> waits for (e.g. add <see cref="PollEvents.Writable"/>
    /// while output is pending); a system call only when it differs from what it waits for now.
    /// The source's handle must still be open.
    /// </summary>
    public void SetEvents(int index, PollEvents events)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
        events &= PollEvents.Readable | PollEvents.Writable;
        if (_interest[index] == events)
        {
            return;
        }
        ObjectDisposedException.ThrowIf(_disposed, this);
        Control(Libc.EPOLL_CTL_MOD, _handles[index], ToEpoll(events), (ulong)index);
        _interest[index] = events;
    }

    /// <summary>
    /// Waits until a source is ready, <see cref="Wake"/> is called, or <paramref name="timeoutMilliseconds"/>
    /// pass (-1 = no limit). Returns the number of ready sources (0 on timeout or a bare wake-up;
    /// see <see cref="WasWoken"/>); <see cref="Ready"/> says what each is ready for. A signal
    /// interrupting the wait returns 0.
    /// </summary>
    public int Wait(int timeoutMilliseconds)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var count = _count;
        Array.Clear(_ready, 0, count);
        WasWoken = false;
        int r;
        fixed (byte* events = _events)
        {
            r = Libc.EpollWait(_epoll, events, count + 1, timeoutMilliseconds);
            if (r < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Errno.EINTR)
                {
                    return 0;
                }
                throw new PacketIOException($"cannot wait on the poller: {Errno.Describe(errno)}", "poller", errno);
            }
            var ready = 0;
            for (var i = 0; i < r; i++)
            {
                var entry = events + i * Libc.EpollEventStride;
                var mask = *(uint*)entry;
                var tag = *(ulong*)(entry + Libc.EpollDataOffset); // unaligned on x86_64: fine there
                if (tag == WakeTag)
                {
                    WasWoken = _wake.Consume();
                }
                else if (tag < (ulong)count)
                {
                    _ready[(int)tag] = FromEpoll(mask);
                    ready++;
                }
            }
            return ready;
        }
    }

    /// <summary>What source <paramref name="index"/> was ready for in the last <see cref="Wait"/>.</summary>
    public PollEvents Ready(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
        return _ready[index];
    }

    /// <summary>True when source <paramref name="index"/> was readable (or failed) in the last <see cref="Wait"/>.</summary>
    public bool IsReadable(int index) => (Ready(index) & PollEvents.Readable) != 0;

    /// <summary>True when source <paramref name="index"/> was writable in the last <see cref="Wait"/>.</summary>
    public bool IsWritable(int index) => (Ready(index) & PollEvents.Writable) != 0;

    /// <summary>Makes the current or next <see cref="Wait"/> return at once. Any thread; cheap; coalesces.</summary>
    public void Wake() => _wake.Signal();

    /// <summary>Closes the epoll set and the wake-up (the sources are not owned and stay open).</summary>
    public void Dispose()
    {
        _disposed = true;
        _epoll.Dispose();
        _wake.Dispose();
    }

    private void Control(int operation, SafeHandle handle, uint mask, ulong tag)
    {
        byte* ev = stackalloc byte[16];
        new Span<byte>(ev, 16).Clear();
        *(uint*)ev = mask;
        *(ulong*)(ev + Libc.EpollDataOffset) = tag;
        if (Libc.EpollCtl(_epoll, operation, handle, ev) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new PacketIOException($"cannot {(operation == Libc.EPOLL_CTL_ADD ? "add a source to" : "change a source of")} the poller: {Errno.Describe(errno)}", "poller", errno);
        }
    }

    // EPOLLERR and EPOLLHUP are always reported, whatever the mask (as poll(2) reports POLLERR/POLLHUP).
    private static uint ToEpoll(PollEvents events) =>
        ((events & PollEvents.Readable) != 0 ? Libc.EPOLLIN : 0) | ((events & PollEvents.Writable) != 0 ? Libc.EPOLLOUT : 0);

    private static PollEvents FromEpoll(uint mask)
    {
        var e = PollEvents.None;
        if ((mask & Libc.EPOLLIN) != 0)
        {
            e |= PollEvents.Readable;
        }
        if ((mask & Libc.EPOLLOUT) != 0)
        {
            e |= PollEvents.Writable;
        }
        if ((mask & (Libc.EPOLLERR | Libc.EPOLLHUP)) != 0)
        {
            e |= PollEvents.Error | PollEvents.Readable;
        }
        return e;
    }
}
