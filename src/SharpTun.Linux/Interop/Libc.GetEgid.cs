using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static partial class Libc
{
    /// <summary><c>getegid()</c>.</summary>
    [LibraryImport(Name, EntryPoint = "getegid")]
    internal static partial uint GetEgid();
}
