using System.Net.Sockets;

namespace SharpTun.Tunnel;

/// <summary>Socket options of the tunnel's sockets; the option numbers are named here once.</summary>
internal static class SocketTuning
{
    // <netinet/tcp.h> TCP_USER_TIMEOUT: ms that sent data may stay unacknowledged before the kernel gives up.
    private const int TcpUserTimeout = 18;
    private const int IpProtoTcp = 6;

    /// <summary>Every tunnel TCP socket: non-blocking (driven by the relay's poller), no Nagle delay, dead peers found within ~30 s.</summary>
    internal static void TuneTcp(Socket socket)
    {
        socket.Blocking = false;
        socket.NoDelay = true;
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 10);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 5);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 4);
        socket.SetRawSocketOption(IpProtoTcp, TcpUserTimeout, BitConverter.GetBytes(30_000));
        // Send and receive buffers stay kernel-autotuned (up to tcp_wmem/tcp_rmem max, MBs);
        // fixing them with SO_SNDBUF would cap them at wmem_max (~200 KB).
    }
}
