using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static unsafe partial class Libc
{
    /// <summary>Bytes reserved per struct epoll_event (16 on aarch64, 12 packed on x86_64).</summary>
    internal const int EpollEventSize = 16;

    /// <summary><c>epoll_wait(epfd, events, maxevents, timeout)</c>: the count of ready entries, 0 on timeout.</summary>
    [LibraryImport(Name, EntryPoint = "epoll_wait", SetLastError = true)]
    internal static partial int EpollWait(SafeHandle epoll, byte* events, int maxEvents, int timeoutMilliseconds);
}
