namespace SharpTun.Linux.Interop;

internal static partial class Libc
{
    /// <summary>CLONE_NEWNET: unshare/setns the network namespace (per thread: it changes only the calling task).</summary>
    internal const int CLONE_NEWNET = 0x40000000;
    /// <summary>CLONE_NEWNS: a private mount namespace (implies CLONE_FS: the calling thread gets its own root/cwd copy).</summary>
    internal const int CLONE_NEWNS = 0x00020000;
    internal const ulong MS_RDONLY = 1;
    internal const ulong MS_BIND = 4096;
    internal const ulong MS_REC = 16384;
    internal const ulong MS_SLAVE = 1 << 19;
    internal const ulong MS_SHARED = 1 << 20;
    internal const int MNT_DETACH = 2;
}
