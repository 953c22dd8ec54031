using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static partial class Libc
{
    internal const int EPOLL_CTL_DEL = 2;
    internal const int EPOLL_CTL_MOD = 3;
    internal const uint EPOLLOUT = 0x004;
    internal const uint EPOLLERR = 0x008;
    internal const uint EPOLLHUP = 0x010;

    /// <summary>
    /// The stride of struct epoll_event in the array epoll_wait fills: 12 bytes on x86_64 (the
    /// kernel declares it packed there), 16 elsewhere (the u64 data member aligned to 8).
    /// </summary>
    internal static readonly int EpollEventStride = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    /// <summary>Where the u64 data member starts inside struct epoll_event: 4 on x86_64 (packed), 8 elsewhere.</summary>
    internal static readonly int EpollDataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;
}
