using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static unsafe partial class Libc
{
    /// <summary><c>sendmmsg(fd, msgvec, vlen, flags)</c>: many datagrams in one call; returns how many went.</summary>
    [LibraryImport(Name, EntryPoint = "sendmmsg", SetLastError = true)]
    internal static partial int SendMmsg(SafeHandle fd, MMsgHdr* messages, uint count, int flags);
}
