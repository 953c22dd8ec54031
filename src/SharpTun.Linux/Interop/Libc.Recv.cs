using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static partial class Libc
{
    /// <summary><c>recv(fd, buffer, length, flags)</c>.</summary>
    [LibraryImport(Name, EntryPoint = "recv", SetLastError = true)]
    internal static partial nint Recv(SafeSocketHandle fd, Span<byte> buffer, nint length, int flags);
}
