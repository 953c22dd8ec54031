using System.Runtime.InteropServices;
using SharpTun.Linux.Interop;

namespace SharpTun.Linux.IO;

/// <summary>Bounded waits for room to write on one fd, cut short by a wake-up (shutdown).</summary>
internal static unsafe class FdWait
{
    /// <summary>
    /// Waits up to <paramref name="timeoutMilliseconds"/> until <paramref name="fd"/> polls writable
    /// or <paramref name="wake"/> is signalled; true only when it is writable and not woken.
    /// </summary>
    internal static bool Writable(SafeHandle fd, WakeEvent wake, int timeoutMilliseconds)
    {
        bool fdRef = false, wakeRef = false;
        try
        {
            fd.DangerousAddRef(ref fdRef);
            wake.Handle.DangerousAddRef(ref wakeRef);
            var fds = stackalloc Libc.PollFd[2];
            fds[0] = new Libc.PollFd { Fd = (int)fd.DangerousGetHandle(), Events = Libc.POLLOUT };
            fds[1] = new Libc.PollFd { Fd = wake.Handle.Fd, Events = Libc.POLLIN };
            var r = Libc.Poll(fds, 2, timeoutMilliseconds);
            return r > 0 && (fds[0].Revents & Libc.POLLOUT) != 0 && (fds[1].Revents & Libc.POLLIN) == 0;
        }
        finally
        {
            if (wakeRef)
            {
                wake.Handle.DangerousRelease();
            }
            if (fdRef)
            {
                fd.DangerousRelease();
            }
        }
    }
}
