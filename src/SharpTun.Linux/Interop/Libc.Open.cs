using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static partial class Libc
{
    internal const int O_RDWR = 0x0002;
    internal const int O_NONBLOCK = 0x0800;
    internal const int O_CLOEXEC = 0x80000;

    /// <summary><c>open(path, flags)</c>: the new fd, or -1.</summary>
    [LibraryImport(Name, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags);
}
