using System.Net.Sockets;
using System.Runtime.InteropServices;
using SharpTun.Linux.Interop;
using SharpTun.Netlink;

namespace SharpTun.Linux.Netlink;

/// <summary>
/// A real netlink socket: socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, protocol), NETLINK_EXT_ACK on,
/// bound with port id 0 (the kernel assigns one). It lives in the network namespace of the thread
/// that created it, for its whole life.
/// </summary>
internal sealed class NetlinkSocket : INetlinkSocket
{
    /// <summary>NETLINK_ROUTE: links, addresses, routes.</summary>
    public const int Route = 0;

    /// <summary>NETLINK_SOCK_DIAG (alias NETLINK_INET_DIAG): socket listings.</summary>
    public const int SockDiag = 4;

    private readonly SafeSocketHandle _handle;

    private NetlinkSocket(SafeSocketHandle handle) => _handle = handle;

    /// <summary>Opens and binds a netlink socket for <paramref name="protocol"/> (<see cref="Route"/>, <see cref="SockDiag"/>).</summary>
    public static NetlinkSocket Open(int protocol)
    {
        var fd = Libc.Socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, protocol);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new NetlinkException($"cannot open netlink socket (protocol {protocol}): {Errno.Describe(errno)}", errno);
        }
        var handle = new SafeSocketHandle(fd, ownsHandle: true);
        try
        {
            var one = 1;
            // Older kernels lack NETLINK_EXT_ACK; errors then simply carry no text.
            _ = Libc.SetSockOpt(handle, SockOpt.SOL_NETLINK, SockOpt.NETLINK_EXT_ACK, ref one, sizeof(int));
            var size = 1 << 20;
            _ = Libc.SetSockOpt(handle, SockOpt.SOL_SOCKET, SockOpt.SO_RCVBUF, ref size, sizeof(int));
            var addr = new Libc.SockAddrNl { Family = Libc.AF_NETLINK };
            if (Libc.Bind(handle, ref addr, Marshal.SizeOf<Libc.SockAddrNl>()) < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new NetlinkException($"cannot bind netlink socket (protocol {protocol}): {Errno.Describe(errno)}", errno);
            }
            return new NetlinkSocket(handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public void Send(ReadOnlySpan<byte> message)
    {
        while (true)
        {
            var n = Libc.Send(_handle, message, message.Length, 0);
            if (n >= 0)
            {
                return;
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR)
            {
                throw new NetlinkException($"cannot send netlink request: {Errno.Describe(errno)}", errno);
            }
        }
    }

    /// <inheritdoc/>
    public int Receive(Span<byte> buffer)
    {
        while (true)
        {
            var n = Libc.Recv(_handle, buffer, buffer.Length, 0);
            if (n >= 0)
            {
                return (int)n;
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR)
            {
                throw new NetlinkException($"cannot receive netlink reply: {Errno.Describe(errno)}", errno);
            }
        }
    }

    /// <summary>Closes the socket.</summary>
    public void Dispose() => _handle.Dispose();
}
