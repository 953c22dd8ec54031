using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static partial class Libc
{
    /// <summary><c>setgid(gid)</c>: glibc applies it to every thread of the process.</summary>
    [LibraryImport(Name, EntryPoint = "setgid", SetLastError = true)]
    internal static partial int SetGid(uint gid);
}
