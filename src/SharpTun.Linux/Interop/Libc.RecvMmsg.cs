using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static unsafe partial class Libc
{
    /// <summary>MSG_TRUNC: in msg_flags, the datagram was longer than its buffer.</summary>
    internal const int MSG_TRUNC = 0x20;

    /// <summary><c>recvmmsg(fd, msgvec, vlen, flags, timeout)</c>: many datagrams in one call.</summary>
    [LibraryImport(Name, EntryPoint = "recvmmsg", SetLastError = true)]
    internal static partial int RecvMmsg(SafeHandle fd, MMsgHdr* messages, uint count, int flags, void* timeout);
}
