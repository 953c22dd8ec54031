using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static unsafe partial class Libc
{
    internal const int EPOLL_CTL_ADD = 1;
    internal const uint EPOLLIN = 0x001;

    /// <summary>
    /// <c>epoll_ctl(epfd, op, fd, &amp;event)</c>. struct epoll_event is packed on x86_64 (12 bytes)
    /// and aligned on aarch64 (16 bytes); both start with the u32 event mask, and SharpTun never
    /// reads the data member back, so callers pass a zeroed 16-byte buffer with the mask first.
    /// </summary>
    [LibraryImport(Name, EntryPoint = "epoll_ctl", SetLastError = true)]
    internal static partial int EpollCtl(SafeHandle epoll, int operation, SafeHandle fd, byte* ev);
}
