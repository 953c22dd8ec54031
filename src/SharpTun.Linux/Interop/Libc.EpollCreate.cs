using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static partial class Libc
{
    /// <summary>EPOLL_CLOEXEC (= O_CLOEXEC).</summary>
    internal const int EPOLL_CLOEXEC = 0x80000;

    /// <summary><c>epoll_create1(flags)</c>.</summary>
    [LibraryImport(Name, EntryPoint = "epoll_create1", SetLastError = true)]
    internal static partial int EpollCreate1(int flags);
}
