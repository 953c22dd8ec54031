using System.Runtime.InteropServices;
using SharpTun.IO;
using SharpTun.Linux.Interop;
using SharpTun.Netlink;

namespace SharpTun.Linux.IO;

/// <summary>
/// Waits on several file descriptors at once — <see cref="IPacketQueue.PollHandle"/>,
/// <see cref="IDatagramBind.PollHandle"/>, a <see cref="System.Net.Sockets.Socket.SafeHandle"/> —
/// plus its own wake-up, with poll(2). One event loop owns it: <see cref="Add"/>,
/// <see cref="SetEvents"/> and <see cref="Wait"/> run on that thread; <see cref="Wake"/> from any
/// thread. Sources are numbered in the order they were added. A wait allocates nothing.
/// </summary>
public sealed unsafe class Poller : IDisposable
{
    private readonly WakeEvent _wake;
    private SafeHandle[] _handles = new SafeHandle[4];
    private Libc.PollFd[] _fds = new Libc.PollFd[5]; // sources, then the wake-up
    private PollEvents[] _ready = new PollEvents[4];
    private int _count;
    private bool _disposed;

    /// <summary>A poller with no sources.</summary>
    public Poller()
    {
        _wake = WakeEvent.Create("the poller");
    }

    /// <summary>The number of sources added.</summary>
    public int Count => _count;

    /// <summary>True when the last <see cref="Wait"/> returned because of <see cref="Wake"/>.</summary>
    public bool WasWoken { get; private set; }

    /// <summary>
    /// Adds <paramref name="handle"/> (not owned: keep it open while it is polled), waiting for
    /// <paramref name="events"/>; returns its index for <see cref="Ready"/> and <see cref="SetEvents"/>.
    /// </summary>
    public int Add(SafeHandle handle, PollEvents events = PollEvents.Readable)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_count == _handles.Length)
        {
            Array.Resize(ref _handles, _count * 2);
            Array.Resize(ref _ready, _count * 2);
            Array.Resize(ref _fds, _count * 2 + 1);
        }
        _handles[_count] = handle;
        _fds[_count].Events = ToPoll(events);
        return _count++;
    }

    /// <summary>Changes what source <paramref name="index"/> waits for (e.g. add <see cref="PollEvents.Writable"/> while output is pending).</summary>
    public void SetEvents(int index, PollEvents events)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_count, nameof(index));
        _fds[index].Events = ToPoll(events);
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
        var refs = 0;
        var wakeRef = false;
        try
        {
            for (; refs < count; refs++)
            {
                var added = false;
                _handles[refs].DangerousAddRef(ref added);
                _fds[refs].Fd = (int)_handles[refs].DangerousGetHandle();
                _fds[refs].Revents = 0;
            }
            _wake.Handle.DangerousAddRef(ref wakeRef);
            _fds[count] = new Libc.PollFd { Fd = _wake.Handle.Fd, Events = Libc.POLLIN };
            int r;
            fixed (Libc.PollFd* fds = _fds)
            {
                r = Libc.Poll(fds, (nuint)(count + 1), timeoutMilliseconds);
            }
            if (r < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Errno.EINTR)
                {
                    r = 0;
                }
                else
                {
                    throw new PacketIOException($"cannot wait on the poller: {Errno.Describe(errno)}", "poller", errno);
                }
            }
            WasWoken = (_fds[count].Revents & Libc.POLLIN) != 0 && _wake.Consume();
            var ready = 0;
            for (var i = 0; i < count; i++)
            {
                var e = FromPoll(_fds[i].Revents);
                _ready[i] = e;
                if (e != PollEvents.None)
                {
                    ready++;
                }
            }
            return ready;
        }
        finally
        {
            for (var i = 0; i < refs; i++)
            {
                _handles[i].DangerousRelease();
            }
            if (wakeRef)
            {
                _wake.Handle.DangerousRelease();
            }
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

    /// <summary>Closes the wake-up (the sources are not owned and stay open).</summary>
    public void Dispose()
    {
        _disposed = true;
        _wake.Dispose();
    }

    private static short ToPoll(PollEvents events) =>
        (short)(((events & PollEvents.Readable) != 0 ? Libc.POLLIN : 0) | ((events & PollEvents.Writable) != 0 ? Libc.POLLOUT : 0));

    private static PollEvents FromPoll(short revents)
    {
        var e = PollEvents.None;
        if ((revents & Libc.POLLIN) != 0)
        {
            e |= PollEvents.Readable;
        }
        if ((revents & Libc.POLLOUT) != 0)
        {
            e |= PollEvents.Writable;
        }
        if ((revents & (Libc.POLLERR | Libc.POLLHUP | Libc.POLLNVAL)) != 0)
        {
            e |= PollEvents.Error | PollEvents.Readable;
        }
        return e;
    }
}
