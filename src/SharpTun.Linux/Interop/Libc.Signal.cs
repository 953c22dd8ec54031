using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static partial class Libc
{
    internal const int SIGPIPE = 13;

    /// <summary><c>signal(signum, handler)</c> with SIG_DFL (0) or SIG_IGN (1); dispositions set to SIG_IGN survive exec.</summary>
    [LibraryImport(Name, EntryPoint = "signal", SetLastError = true)]
    internal static partial nint Signal(int signum, nint handler);
}
