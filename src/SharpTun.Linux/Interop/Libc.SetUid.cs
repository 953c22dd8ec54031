using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static partial class Libc
{
    /// <summary><c>setuid(uid)</c>: glibc applies it to every thread of the process.</summary>
    [LibraryImport(Name, EntryPoint = "setuid", SetLastError = true)]
    internal static partial int SetUid(uint uid);
}
