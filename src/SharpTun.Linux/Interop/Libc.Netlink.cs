using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static partial class Libc
{
    internal const int AF_NETLINK = 16;
    internal const int SOCK_RAW = 3;
    internal const int SOCK_CLOEXEC = 0x80000;
    internal const int SOL_NETLINK = 270;
    /// <summary>NETLINK_EXT_ACK: the kernel appends NLMSGERR_ATTR_MSG (a reason text) to error replies.</summary>
    internal const int NETLINK_EXT_ACK = 11;
    internal const int SOL_SOCKET = 1;
    internal const int SO_RCVBUF = 8;
    internal const int EINTR = 4;

    /// <summary>struct sockaddr_nl: u16 family, u16 pad, u32 pid (0 = kernel assigns), u32 groups.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct SockAddrNl
    {
        internal ushort Family;
        internal ushort Pad;
        internal uint Pid;
        internal uint Groups;
    }

    [LibraryImport(Name, EntryPoint = "socket", SetLastError = true)]
    internal static partial int Socket(int domain, int type, int protocol);

    [LibraryImport(Name, EntryPoint = "bind", SetLastError = true)]
    internal static partial int Bind(SafeSocketHandle fd, ref SockAddrNl address, int length);

    [LibraryImport(Name, EntryPoint = "setsockopt", SetLastError = true)]
    internal static partial int SetSockOpt(SafeSocketHandle fd, int level, int name, ref int value, int length);

    [LibraryImport(Name, EntryPoint = "send", SetLastError = true)]
    internal static partial nint Send(SafeSocketHandle fd, ReadOnlySpan<byte> buffer, nint length, int flags);

    [LibraryImport(Name, EntryPoint = "recv", SetLastError = true)]
    internal static partial nint Recv(SafeSocketHandle fd, Span<byte> buffer, nint length, int flags);
}
