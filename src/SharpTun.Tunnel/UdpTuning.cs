using System.Net.Sockets;

namespace SharpTun.Tunnel;

/// <summary>Socket buffer sizing for the UDP transport.</summary>
internal static class UdpTuning
{
    // 4 MiB absorbs bursts of ~2800 full-size datagrams while the receiver writes to the device.
    private const int BufferBytes = 4 * 1024 * 1024;

    // SO_SNDBUFFORCE (32) / SO_RCVBUFFORCE (33) exceed wmem_max/rmem_max with CAP_NET_ADMIN;
    // without it the plain options apply, capped by the sysctls.
    internal static void SetLargeBuffers(Socket socket)
    {
        Set(socket, 32, SocketOptionName.SendBuffer);
        Set(socket, 33, SocketOptionName.ReceiveBuffer);
    }

    private static void Set(Socket socket, int forceOption, SocketOptionName plain)
    {
        try
        {
            socket.SetRawSocketOption(1, forceOption, BitConverter.GetBytes(BufferBytes));
        }
        catch (SocketException)
        {
            try
            {
                socket.SetSocketOption(SocketOptionLevel.Socket, plain, BufferBytes);
            }
            catch (SocketException)
            {
            }
        }
    }
}
