using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static partial class Libc
{
    // ioctl(2) is variadic; on x86_64 and aarch64 the third argument travels in a register
    // whether it is a pointer or a long, so fixed-arity imports are exact.

    /// <summary><c>ioctl(fd, request, &amp;ifreq)</c>: TUNSETIFF, TUNGETIFF, TUNSETQUEUE.</summary>
    [LibraryImport(Name, EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int Ioctl(SafeHandle fd, nuint request, ref IfReq ifr);

    /// <summary><c>ioctl(fd, request, value)</c>: TUNSETPERSIST, TUNSETOWNER, TUNSETGROUP.</summary>
    [LibraryImport(Name, EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int Ioctl(SafeHandle fd, nuint request, nint value);

    /// <summary><c>ioctl(fd, request, &amp;u32)</c>: TUNGETFEATURES, TUNSETVNETHDRSZ, TUNGETVNETHDRSZ.</summary>
    [LibraryImport(Name, EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int Ioctl(SafeHandle fd, nuint request, ref int value);
}
