using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static partial class Libc
{
    /// <summary>struct sockaddr_nl: u16 family, u16 pad, u32 pid (0 = kernel assigns), u32 groups.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct SockAddrNl
    {
        internal ushort Family;
        internal ushort Pad;
        internal uint Pid;
        internal uint Groups;
    }

    /// <summary><c>bind(fd, &amp;sockaddr_nl, len)</c> for netlink sockets.</summary>
    [LibraryImport(Name, EntryPoint = "bind", SetLastError = true)]
    internal static partial int Bind(SafeSocketHandle fd, ref SockAddrNl address, int length);
}
