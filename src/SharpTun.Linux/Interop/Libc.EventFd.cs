using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static partial class Libc
{
    /// <summary>EFD_NONBLOCK (= O_NONBLOCK).</summary>
    internal const int EFD_NONBLOCK = 0x800;

    /// <summary>EFD_CLOEXEC (= O_CLOEXEC).</summary>
    internal const int EFD_CLOEXEC = 0x80000;

    /// <summary><c>eventfd(initval, flags)</c>: a 64-bit counter fd, readable while the counter is non-zero.</summary>
    [LibraryImport(Name, EntryPoint = "eventfd", SetLastError = true)]
    internal static partial int EventFd(uint initialValue, int flags);
}
