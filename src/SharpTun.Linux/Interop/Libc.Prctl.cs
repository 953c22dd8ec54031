using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static partial class Libc
{
    /// <summary><c>PR_SET_KEEPCAPS</c>: keep the permitted capabilities across <c>setuid</c> (calling thread only).</summary>
    internal const int PrSetKeepCaps = 8;

    /// <summary><c>prctl(option, arg2, 0, 0, 0)</c>.</summary>
    [LibraryImport(Name, EntryPoint = "prctl", SetLastError = true)]
    internal static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
}
