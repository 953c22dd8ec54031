using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SharpTun.Linux.Interop;

internal static partial class Libc
{
    /// <summary><c>setns(fd, nstype)</c>.</summary>
    [LibraryImport(Name, EntryPoint = "setns", SetLastError = true)]
    internal static partial int SetNs(SafeFileHandle fd, int nstype);
}
