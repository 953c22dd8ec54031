using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static partial class Libc
{
    internal const int SIG_SETMASK = 2;

    /// <summary>sizeof(sigset_t) in glibc: 1024 bits.</summary>
    internal const int SigSetBytes = 128;

    /// <summary><c>pthread_sigmask(how, set, oldset)</c>: the calling thread's mask is inherited across exec.</summary>
    [LibraryImport(Name, EntryPoint = "pthread_sigmask")]
    internal static partial int PthreadSigmask(int how, byte[] set, nint oldset);
}
