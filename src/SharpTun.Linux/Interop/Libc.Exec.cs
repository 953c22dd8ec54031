using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static partial class Libc
{
    /// <summary>close_range(2) flag: mark the range close-on-exec instead of closing it (Linux 5.11).</summary>
    internal const int CLOSE_RANGE_CLOEXEC = 4;
    internal const int SIG_SETMASK = 2;
    internal const int SIGPIPE = 13;

    /// <summary>sizeof(sigset_t) in glibc: 1024 bits.</summary>
    internal const int SigSetBytes = 128;

    /// <summary>execvpe(3): PATH search like a shell; returns only on failure. argv and envp end with a zero entry.</summary>
    [LibraryImport(Name, EntryPoint = "execvpe", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Execvpe(string file, nint[] argv, nint[] envp);

    /// <summary>execve(2) of an exact path; returns only on failure.</summary>
    [LibraryImport(Name, EntryPoint = "execve", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Execve(string path, nint[] argv, nint[] envp);

    [LibraryImport(Name, EntryPoint = "close_range", SetLastError = true)]
    internal static partial int CloseRange(uint first, uint last, int flags);

    /// <summary>signal(2) with SIG_DFL (0) or SIG_IGN (1); dispositions set to SIG_IGN survive exec.</summary>
    [LibraryImport(Name, EntryPoint = "signal", SetLastError = true)]
    internal static partial nint Signal(int signum, nint handler);

    /// <summary>The calling thread's signal mask is inherited across exec.</summary>
    [LibraryImport(Name, EntryPoint = "pthread_sigmask")]
    internal static partial int PthreadSigmask(int how, byte[] set, nint oldset);
}
