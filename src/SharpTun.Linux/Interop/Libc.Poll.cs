using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static unsafe partial class Libc
{
    internal const short POLLIN = 0x001;
    internal const short POLLOUT = 0x004;
    internal const short POLLERR = 0x008;
    internal const short POLLHUP = 0x010;
    internal const short POLLNVAL = 0x020;

    /// <summary>struct pollfd.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        internal int Fd;
        internal short Events;
        internal short Revents;
    }

    /// <summary><c>poll(fds, nfds, timeout)</c>: raw fds; callers hold a reference on each fd's SafeHandle for the call.</summary>
    [LibraryImport(Name, EntryPoint = "poll", SetLastError = true)]
    internal static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);
}
