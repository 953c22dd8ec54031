using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static unsafe partial class Libc
{
    /// <summary><c>read(fd, buffer, count)</c> on any fd kind (tun queue, eventfd).</summary>
    [LibraryImport(Name, EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(SafeHandle fd, byte* buffer, nint count);
}
