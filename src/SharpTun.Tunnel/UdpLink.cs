using System.Net;
using System.Net.Sockets;
using SharpTun.Protocol.Framing;

namespace SharpTun.Tunnel;

/// <summary>
/// The UDP transport: one packet per datagram, no prefix (see <see cref="DatagramFraming"/>).
/// A client socket is connected to the server and sends a zero-length keepalive at start and
/// every keepalive interval. A server socket answers whoever spoke last: any datagram
/// (keepalive or packet) from a new address makes that address the peer, so a client that
/// restarts or roams behind NAT is followed at once. Address lookups and comparisons use a
/// preallocated <see cref="SocketAddress"/>: no allocation per datagram.
/// </summary>
public sealed class UdpLink : IPeerLink
{
    private readonly Socket _socket;
    private readonly bool _isServer;
    private readonly int _maxPacket;
    private readonly bool _ethernet;
    private readonly RelayBuffers _buffers;
    private readonly TunnelCounters _counters;
    private readonly TunnelLog _log;
    private readonly SocketAddress _from;
    private readonly Timer? _keepalive;
    private SocketAddress? _peer;
    private string _peerName;
    private int _disposed;

    private UdpLink(Socket socket, bool isServer, int maxPacket, bool ethernet, RelayBuffers buffers, TunnelCounters counters, TunnelLog log, TimeSpan keepalive)
    {
        _socket = socket;
        _isServer = isServer;
        _maxPacket = maxPacket;
        _ethernet = ethernet;
        _buffers = buffers;
        _counters = counters;
        _log = log;
        _from = new SocketAddress(socket.AddressFamily);
        _peerName = isServer ? "(no peer yet)" : TcpLink.Describe(socket.RemoteEndPoint);
        UdpTuning.SetLargeBuffers(socket);
        if (!isServer)
        {
            _keepalive = new Timer(_ => SendKeepalive(), null, TimeSpan.Zero, keepalive);
        }
    }

    /// <summary>A server link on a bound socket.</summary>
    public static UdpLink Server(Socket bound, int maxPacket, bool ethernet, RelayBuffers buffers, TunnelCounters counters, TunnelLog log) =>
        new(bound, true, maxPacket, ethernet, buffers, counters, log, Timeout.InfiniteTimeSpan);

    /// <summary>A client link on a socket connected to the server; keepalives every <paramref name="keepalive"/>.</summary>
    public static UdpLink Client(Socket connected, int maxPacket, bool ethernet, RelayBuffers buffers, TunnelCounters counters, TunnelLog log, TimeSpan keepalive) =>
        new(connected, false, maxPacket, ethernet, buffers, counters, log, keepalive);

    /// <inheritdoc/>
    public string PeerName => Volatile.Read(ref _peerName);

    /// <inheritdoc/>
    public bool CanSend => !_isServer || Volatile.Read(ref _peer) is not null;

    /// <inheritdoc/>
    public void Send(PacketBatch batch)
    {
        var peer = Volatile.Read(ref _peer);
        for (var i = 0; i < batch.Count; i++)
        {
            var error = SendOne(batch.Packet(i), peer);
            // ECONNREFUSED: an ICMP port-unreachable from an earlier datagram (the server is not
            // up yet); the datagram itself is gone, like any loss on UDP.
            if (error is not (SocketError.Success or SocketError.ConnectionRefused or SocketError.NoBufferSpaceAvailable))
            {
                throw new SocketException((int)error);
            }
        }
    }

    private SocketError SendOne(ReadOnlySpan<byte> packet, SocketAddress? peer)
    {
        if (!_isServer)
        {
            _socket.Send(packet, SocketFlags.None, out var error);
            return error;
        }
        try
        {
            _socket.SendTo(packet, SocketFlags.None, peer!);
            return SocketError.Success;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
    }

    /// <inheritdoc/>
    public string Receive(IPacketSink sink, CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(Dispose);
        var buffer = _buffers.Receive;
        while (true)
        {
            int n;
            if (_isServer)
            {
                try
                {
                    n = _socket.ReceiveFrom(buffer, SocketFlags.None, _from);
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
                {
                    continue;
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    return Volatile.Read(ref _disposed) != 0 ? "closed" : $"receive failed: {e.Message}";
                }
                var peer = Volatile.Read(ref _peer);
                if (peer is null || !peer.Equals(_from))
                {
                    Learn(peer);
                }
            }
            else
            {
                n = _socket.Receive(buffer, SocketFlags.None, out var error);
                if (error == SocketError.ConnectionRefused)
                {
                    continue; // the server is not there (yet): keep going, keepalives will find it
                }
                if (error != SocketError.Success)
                {
                    return Volatile.Read(ref _disposed) != 0 ? "closed" : $"receive failed: {error}";
                }
            }
            switch (DatagramFraming.Classify(n, _ethernet, _maxPacket))
            {
                case DatagramKind.Packet:
                    sink.Deliver(buffer.AsSpan(0, n));
                    break;
                case DatagramKind.Keepalive:
                    _counters.AddKeepaliveReceived();
                    break;
                case DatagramKind.Runt:
                    _counters.AddDropRunt();
                    break;
                default:
                    _counters.AddDropOversize();
                    break;
            }
        }
    }

    private void Learn(SocketAddress? previous)
    {
        var copy = new SocketAddress(_from.Family, _from.Size);
        _from.Buffer.Span[.._from.Size].CopyTo(copy.Buffer.Span);
        var any = _socket.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        var name = TcpLink.Describe(any.Create(copy));
        Volatile.Write(ref _peer, copy);
        var old = Volatile.Read(ref _peerName);
        Volatile.Write(ref _peerName, name);
        _counters.AddConnection();
        _log.Info(previous is null ? $"peer is {name}" : $"peer moved from {old} to {name}");
    }

    private void SendKeepalive()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }
        try
        {
            _socket.Send(ReadOnlySpan<byte>.Empty, SocketFlags.None, out var error);
            if (error == SocketError.Success)
            {
                _counters.AddKeepaliveSent();
            }
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Closes the socket and stops keepalives.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _keepalive?.Dispose();
        _socket.Dispose();
    }
}
