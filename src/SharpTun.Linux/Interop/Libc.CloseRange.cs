using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static partial class Libc
{
    /// <summary>close_range(2) flag: mark the range close-on-exec instead of closing it (Linux 5.11).</summary>
    internal const int CLOSE_RANGE_CLOEXEC = 4;

    /// <summary><c>close_range(first, last, flags)</c>.</summary>
    [LibraryImport(Name, EntryPoint = "close_range", SetLastError = true)]
    internal static partial int CloseRange(uint first, uint last, int flags);
}
