using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static partial class Libc
{
    /// <summary><c>setsockopt(fd, level, name, &amp;int, len)</c>; levels and names in <see cref="SockOpt"/>.</summary>
    [LibraryImport(Name, EntryPoint = "setsockopt", SetLastError = true)]
    internal static partial int SetSockOpt(SafeSocketHandle fd, int level, int name, ref int value, int length);
}
