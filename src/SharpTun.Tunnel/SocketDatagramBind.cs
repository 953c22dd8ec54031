using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using SharpTun.IO;

namespace SharpTun.Tunnel;

/// <summary>
/// A stand-in <see cref="IDatagramBind"/> over a .NET <see cref="Socket"/> (one datagram per
/// system call, no local-address hint), used until SharpTun.Linux's batched UdpBind is wired in.
/// Non-blocking; the relay calls <see cref="Receive"/> only when <see cref="PollHandle"/> is readable.
/// </summary>
internal sealed class SocketDatagramBind : IDatagramBind
{
    // SO_SNDBUFFORCE / SO_RCVBUFFORCE (<asm-generic/socket.h>): exceed wmem_max/rmem_max with CAP_NET_ADMIN.
    private const int SoSndBufForce = 32;
    private const int SoRcvBufForce = 33;
    private const int SolSocket = 1;
    private const int BufferBytes = 4 * 1024 * 1024;
    private const int AfInet = 2;

    private readonly Socket _socket;
    private readonly SocketAddress _from;
    private readonly byte[] _lastFrom = new byte[64];
    private int _lastFromLength = -1;
    private NetEndpoint _lastFromEndpoint;
    private NetEndpoint _lastTo;
    private SocketAddress? _lastToAddress;
    private volatile bool _shutdown;

    private SocketDatagramBind(Socket socket)
    {
        _socket = socket;
        _from = new SocketAddress(socket.AddressFamily);
        LocalPort = (ushort)((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    internal static SocketDatagramBind Open(IPEndPoint local)
    {
        var socket = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (local.AddressFamily == AddressFamily.InterNetworkV6 && local.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }
            socket.Bind(local);
            socket.Blocking = false;
            SetBuffer(socket, SoSndBufForce, SocketOptionName.SendBuffer);
            SetBuffer(socket, SoRcvBufForce, SocketOptionName.ReceiveBuffer);
            return new SocketDatagramBind(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public ushort LocalPort { get; }

    public int BatchSize => 64;

    public SafeHandle PollHandle => _socket.SafeHandle;

    public int Receive(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, Span<DatagramEndpoint> endpoints, int offset)
    {
        var n = 0;
        while (n < buffers.Length && !_shutdown)
        {
            int size;
            try
            {
                _from.Size = _from.Buffer.Length;
                size = _socket.ReceiveFrom(buffers[n].Span[offset..], SocketFlags.None, _from);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
                break;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.MessageSize)
            {
                size = -1;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
            {
                continue; // an ICMP error for an earlier send
            }
            sizes[n] = size;
            endpoints[n] = new DatagramEndpoint(Source());
            n++;
        }
        return n;
    }

    public int Send(ReadOnlySpan<Memory<byte>> datagrams, int offset, in DatagramEndpoint destination)
    {
        var to = Address(destination.Remote);
        foreach (var d in datagrams)
        {
            try
            {
                _socket.SendTo(d.Span[offset..], SocketFlags.None, to);
            }
            catch (SocketException e)
            {
                return (int)e.SocketErrorCode;
            }
        }
        return 0;
    }

    public void Shutdown()
    {
        _shutdown = true;
        try
        {
            _socket.Shutdown(SocketShutdown.Receive);
        }
        catch (SocketException)
        {
            // ENOTCONN on an unconnected UDP socket, but the kernel still marks it shut and wakes pollers.
        }
    }

    public void Dispose() => _socket.Dispose();

    private NetEndpoint Source()
    {
        var raw = _from.Buffer.Span[.._from.Size];
        if (raw.Length == _lastFromLength && raw.SequenceEqual(_lastFrom.AsSpan(0, _lastFromLength)))
        {
            return _lastFromEndpoint;
        }
        // struct sockaddr_in / sockaddr_in6: family (host order), port (network order), address.
        var port = BinaryPrimitives.ReadUInt16BigEndian(raw[2..]);
        var family = BitConverter.ToUInt16(raw);
        ReadOnlySpan<byte> address = family == AfInet ? raw.Slice(4, 4) : raw.Slice(8, 16);
        if (family != AfInet && address[..10].IndexOfAnyExcept((byte)0) < 0 && address[10] == 0xFF && address[11] == 0xFF)
        {
            address = address[12..]; // IPv4-mapped (a dual-stack socket)
        }
        _lastFromEndpoint = NetEndpoint.From(address, port);
        raw.CopyTo(_lastFrom);
        _lastFromLength = raw.Length;
        return _lastFromEndpoint;
    }

    private SocketAddress Address(NetEndpoint to)
    {
        if (_lastToAddress is null || to != _lastTo)
        {
            var ip = to.ToIPEndPoint();
            if (_socket.AddressFamily == AddressFamily.InterNetworkV6 && ip.AddressFamily == AddressFamily.InterNetwork)
            {
                ip = new IPEndPoint(ip.Address.MapToIPv6(), ip.Port);
            }
            _lastToAddress = ip.Serialize();
            _lastTo = to;
        }
        return _lastToAddress;
    }

    private static void SetBuffer(Socket socket, int forceOption, SocketOptionName plain)
    {
        try
        {
            socket.SetRawSocketOption(SolSocket, forceOption, BitConverter.GetBytes(BufferBytes));
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
