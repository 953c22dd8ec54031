using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static unsafe partial class Libc
{
    /// <summary><c>write(fd, buffer, count)</c> on any fd kind (tun queue, eventfd).</summary>
    [LibraryImport(Name, EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(SafeHandle fd, byte* buffer, nint count);
}
