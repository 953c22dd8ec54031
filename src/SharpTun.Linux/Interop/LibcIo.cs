using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

/// <summary>read/write/poll/fcntl on a raw fd, for the packet paths of <see cref="Tun.TunDevice"/>.</summary>
internal static unsafe partial class LibcIo
{
    internal const short POLLIN = 0x001;
    internal const short POLLOUT = 0x004;
    internal const int F_GETFL = 3;
    internal const int F_SETFL = 4;
    internal const int EINTR = 4;
    internal const int EBADFD = 77;

    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        internal int Fd;
        internal short Events;
        internal short Revents;
    }

    [LibraryImport(Libc.Name, EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(SafeSocketHandle fd, byte* buffer, nint count);

    [LibraryImport(Libc.Name, EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(SafeSocketHandle fd, byte* buffer, nint count);

    [LibraryImport(Libc.Name, EntryPoint = "poll", SetLastError = true)]
    internal static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [LibraryImport(Libc.Name, EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Fcntl(SafeSocketHandle fd, int command, int argument);
}
