using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// A portable <see cref="IDatagramBind"/> over a .NET dual-stack UDP socket: one datagram per system
/// call (queued ones taken without waiting), no local-address hint, no fwmark. Allocation-free per
/// datagram while the destination does not change. The batched Linux bind (recvmmsg/sendmmsg,
/// IP_PKTINFO, SO_MARK) replaces it where available; this one keeps the host usable without it.
/// </summary>
internal sealed class SocketDatagramBind : IDatagramBind
{
    private readonly Socket _socket;
    private readonly SocketAddress _received;
    private readonly Lock _sendGate = new();
    private SocketAddress _sendAddress;
    private NetEndpoint _sendEndpoint;
    private volatile bool _shutdown;

    internal SocketDatagramBind(ushort port)
    {
        _socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp) { DualMode = true };
        try
        {
            _socket.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
        }
        catch (SocketException e)
        {
            _socket.Dispose();
            throw new IOException(e.SocketErrorCode == SocketError.AddressAlreadyInUse
                ? $"cannot listen on UDP port {port}: the port is in use"
                : $"cannot listen on UDP port {port}: {e.Message}", e);
        }
        _socket.ReceiveTimeout = 250;
        _socket.ReceiveBufferSize = 4 << 20;
        _socket.SendBufferSize = 4 << 20;
        _received = new SocketAddress(AddressFamily.InterNetworkV6);
        _sendAddress = new SocketAddress(AddressFamily.InterNetworkV6);
        LocalPort = (ushort)((IPEndPoint)_socket.LocalEndPoint!).Port;
    }

    public ushort LocalPort { get; }

    public int BatchSize => 32;

    public SafeHandle PollHandle => _socket.SafeHandle;

    public int Receive(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, Span<DatagramEndpoint> endpoints, int offset)
    {
        var count = 0;
        while (!_shutdown && count < buffers.Length)
        {
            if (count > 0 && _socket.Available == 0)
            {
                break;
            }
            int n;
            try
            {
                n = _socket.ReceiveFrom(buffers[count].Span[offset..], SocketFlags.None, _received);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                continue;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.MessageSize)
            {
                n = -1;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused)
            {
                continue; // an ICMP error for an earlier send
            }
            catch (ObjectDisposedException)
            {
                return 0;
            }
            sizes[count] = n;
            endpoints[count] = new DatagramEndpoint(FromSocketAddress(_received));
            count++;
        }
        return _shutdown ? 0 : count;
    }

    public int Send(ReadOnlySpan<Memory<byte>> datagrams, int offset, in DatagramEndpoint destination)
    {
        lock (_sendGate)
        {
            if (_sendEndpoint != destination.Remote)
            {
                _sendAddress = ToSocketAddress(destination.Remote);
                _sendEndpoint = destination.Remote;
            }
            foreach (var d in datagrams)
            {
                try
                {
                    _socket.SendTo(d.Span[offset..], SocketFlags.None, _sendAddress);
                }
                catch (SocketException e)
                {
                    return e.NativeErrorCode;
                }
            }
            return 0;
        }
    }

    public void Shutdown() => _shutdown = true;

    public void Dispose()
    {
        _shutdown = true;
        _socket.Dispose();
    }

    private static NetEndpoint FromSocketAddress(SocketAddress address)
    {
        var bytes = address.Buffer.Span;
        var port = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
        var ip = bytes.Slice(8, 16);
        // ::ffff:a.b.c.d is an IPv4 peer on the dual-stack socket.
        return ip[..10].IndexOfAnyExcept((byte)0) < 0 && ip[10] == 0xff && ip[11] == 0xff
            ? NetEndpoint.From(ip[12..], port)
            : NetEndpoint.From(ip, port);
    }

    private static SocketAddress ToSocketAddress(NetEndpoint endpoint)
    {
        var ep = endpoint.ToIPEndPoint();
        var address = ep.Address.AddressFamily == AddressFamily.InterNetwork ? ep.Address.MapToIPv6() : ep.Address;
        var sa = new IPEndPoint(address, ep.Port).Serialize();
        return sa;
    }
}
