using System.Net;
using System.Net.Sockets;
using SharpTun.Linux.Net;

namespace SharpTun.Tunnel;

/// <summary>Creates the UDP link (server: bound socket; client: socket connected to the server). A new one only if the previous failed.</summary>
public sealed class UdpTransport : ITransport
{
    private readonly EndPoint _endPoint;
    private readonly bool _isServer;
    private readonly int _maxPacket;
    private readonly bool _ethernet;
    private readonly RelayBuffers _buffers;
    private readonly TunnelCounters _counters;
    private readonly TunnelLog _log;
    private readonly SocketFactory _sockets;
    private readonly TimeSpan _keepalive;
    private readonly Backoff _backoff = new();
    private readonly DatagramBatch _rx;
    private readonly DatagramBatch _tx;
    private bool _first = true;

    /// <summary>A UDP server bound to <paramref name="endPoint"/>, or a client of it.</summary>
    public UdpTransport(EndPoint endPoint, bool isServer, IPacketDevice device, RelayBuffers buffers, TunnelCounters counters, TunnelLog log,
        TimeSpan keepalive, SocketFactory? sockets = null)
    {
        _endPoint = endPoint;
        _isServer = isServer;
        _maxPacket = device.MaxPacketSize;
        _ethernet = device.IsEthernet;
        _buffers = buffers;
        _counters = counters;
        _log = log;
        _keepalive = keepalive;
        _sockets = sockets ?? Sockets.Create;
        // 64 datagrams per recvmmsg/sendmmsg; receive slots one byte longer than the largest
        // packet so an oversize datagram shows as such rather than as a cut packet.
        _rx = new DatagramBatch(64, device.MaxPacketSize + 1);
        _tx = new DatagramBatch(64, 1);
        Description = isServer ? $"UDP server on {endPoint}" : $"UDP client of {endPoint} (keepalive every {keepalive.TotalSeconds:0.#} s)";
    }

    /// <inheritdoc/>
    public string Description { get; }

    /// <inheritdoc/>
    public IPeerLink Next(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!_first && cancellationToken.WaitHandle.WaitOne(_backoff.NextDelay()))
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            _first = false;
            var family = _endPoint is IPEndPoint ip ? ip.AddressFamily : AddressFamily.InterNetworkV6;
            var socket = _sockets(family, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                if (_isServer)
                {
                    if (_endPoint is IPEndPoint any && any.Address.Equals(IPAddress.IPv6Any))
                    {
                        socket.DualMode = true;
                    }
                    socket.Bind(_endPoint);
                    return UdpLink.Server(socket, _maxPacket, _ethernet, _rx, _tx, _counters, _log);
                }
                if (_endPoint is DnsEndPoint)
                {
                    socket.DualMode = true;
                }
                socket.Connect(_endPoint);
                return UdpLink.Client(socket, _maxPacket, _ethernet, _rx, _tx, _counters, _log, _keepalive);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                if (_isServer)
                {
                    throw new IOException($"cannot listen on UDP {_endPoint}: {e.Message}", e);
                }
                _log.Info($"cannot set up UDP to {_endPoint}: {e.Message}; retrying");
            }
        }
    }

    /// <summary>Frees the datagram batches; call only after the relay using this transport has stopped.</summary>
    public void Dispose()
    {
        _rx.Dispose();
        _tx.Dispose();
    }
}
