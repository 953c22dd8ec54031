using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static partial class Libc
{
    /// <summary><c>send(fd, buffer, length, flags)</c>.</summary>
    [LibraryImport(Name, EntryPoint = "send", SetLastError = true)]
    internal static partial nint Send(SafeSocketHandle fd, ReadOnlySpan<byte> buffer, nint length, int flags);
}
