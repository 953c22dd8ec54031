using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

/// <summary>
/// The libc entry points SharpTun calls. Each is a thin <c>LibraryImport</c> with <c>SetLastError</c>;
/// callers read errno through <see cref="Marshal.GetLastPInvokeError"/> and turn it into a message
/// that names the object (see <see cref="SharpTun.Netlink.Errno"/>). Nothing outside this project calls native code.
/// </summary>
internal static partial class Libc
{
    internal const string Name = "libc";

    internal const int O_RDWR = 0x0002;
    internal const int O_NONBLOCK = 0x0800;
    internal const int O_CLOEXEC = 0x80000;

    [LibraryImport(Name, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags);

    [LibraryImport(Name, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport(Name, EntryPoint = "geteuid")]
    internal static partial uint GetEuid();

    [LibraryImport(Name, EntryPoint = "getegid")]
    internal static partial uint GetEgid();
}
