using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

/// <summary>recvmmsg(2)/sendmmsg(2): many datagrams per system call (x86_64/aarch64 struct layouts).</summary>
internal static unsafe partial class LibcMmsg
{
    internal const int MSG_TRUNC = 0x20;
    internal const int MSG_WAITFORONE = 0x10000;

    [StructLayout(LayoutKind.Sequential)]
    internal struct IoVec
    {
        internal byte* Base;
        internal nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct MsgHdr
    {
        internal byte* Name;
        internal uint NameLength;
        internal IoVec* Iov;
        internal nuint IovLength;
        internal byte* Control;
        internal nuint ControlLength;
        internal int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct MMsgHdr
    {
        internal MsgHdr Header;
        internal uint Length;
    }

    [LibraryImport(Libc.Name, EntryPoint = "recvmmsg", SetLastError = true)]
    internal static partial int RecvMmsg(SafeSocketHandle fd, MMsgHdr* messages, uint count, int flags, void* timeout);

    [LibraryImport(Libc.Name, EntryPoint = "sendmmsg", SetLastError = true)]
    internal static partial int SendMmsg(SafeSocketHandle fd, MMsgHdr* messages, uint count, int flags);
}
