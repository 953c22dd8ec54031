using System.Net;
using System.Net.Sockets;
using SharpTun.Linux.Net;
using SharpTun.Protocol.Framing;

namespace SharpTun.Tunnel;

/// <summary>
/// The UDP transport: one packet per datagram, no prefix (see <see cref="DatagramFraming"/>).
/// A client socket is connected to the server and sends a zero-length keepalive at start and
/// every keepalive interval. A server socket answers whoever spoke last: any datagram
/// (keepalive or packet) from a new address makes that address the peer, so a client that
/// restarts or roams behind NAT is followed at once. Datagrams move in batches: one sendmmsg(2)
/// per batch read from the device, one recvmmsg(2) for everything queued on the socket; the
/// batch memory belongs to the transport, so nothing is allocated per datagram or per link.
/// </summary>
public sealed class UdpLink : IPeerLink
{
    // recvmmsg wakes at least this often so a closed link is noticed (SO_RCVTIMEO).
    private const int ReceiveTimeoutMilliseconds = 250;

    private readonly Socket _socket;
    private readonly bool _isServer;
    private readonly int _maxPacket;
    private readonly bool _ethernet;
    private readonly DatagramBatch _rx;
    private readonly DatagramBatch _tx;
    private readonly TunnelCounters _counters;
    private readonly TunnelLog _log;
    private readonly Timer? _keepalive;
    private byte[]? _peer;
    private string _peerName;
    private int _disposed;

    private UdpLink(Socket socket, bool isServer, int maxPacket, bool ethernet, DatagramBatch rx, DatagramBatch tx, TunnelCounters counters,
        TunnelLog log, TimeSpan keepalive)
    {
        _socket = socket;
        _isServer = isServer;
        _maxPacket = maxPacket;
        _ethernet = ethernet;
        _rx = rx;
        _tx = tx;
        _counters = counters;
        _log = log;
        _peerName = isServer ? "(no peer yet)" : TcpLink.Describe(socket.RemoteEndPoint);
        UdpTuning.SetLargeBuffers(socket);
        socket.ReceiveTimeout = ReceiveTimeoutMilliseconds;
        if (!isServer)
        {
            _keepalive = new Timer(_ => SendKeepalive(), null, TimeSpan.Zero, keepalive);
        }
    }

    /// <summary>A server link on a bound socket; <paramref name="rx"/> slots must hold maxPacket + 1 bytes.</summary>
    public static UdpLink Server(Socket bound, int maxPacket, bool ethernet, DatagramBatch rx, DatagramBatch tx, TunnelCounters counters, TunnelLog log) =>
        new(bound, true, maxPacket, ethernet, rx, tx, counters, log, Timeout.InfiniteTimeSpan);

    /// <summary>A client link on a socket connected to the server; keepalives every <paramref name="keepalive"/>.</summary>
    public static UdpLink Client(Socket connected, int maxPacket, bool ethernet, DatagramBatch rx, DatagramBatch tx, TunnelCounters counters, TunnelLog log,
        TimeSpan keepalive) =>
        new(connected, false, maxPacket, ethernet, rx, tx, counters, log, keepalive);

    /// <inheritdoc/>
    public string PeerName => Volatile.Read(ref _peerName);

    /// <inheritdoc/>
    public bool CanSend => !_isServer || Volatile.Read(ref _peer) is not null;

    /// <inheritdoc/>
    public bool SendsWithoutBlocking => true;

    /// <inheritdoc/>
    public void Send(PacketBatch batch)
    {
        ReadOnlySpan<byte> destination = _isServer ? Volatile.Read(ref _peer) : default;
        var errno = _tx.Send(_socket.SafeHandle, batch.Buffer, batch.Offsets, batch.Lengths, destination);
        // ECONNREFUSED: an ICMP port-unreachable from an earlier datagram (the server is not up
        // yet); ENOBUFS: the qdisc is full. Either way the datagrams are lost, like any UDP loss.
        if (errno is not (0 or 111 or 105))
        {
            throw new SocketException((int)DatagramBatch.ToSocketError(errno));
        }
    }

    /// <inheritdoc/>
    public string Receive(IPacketSink sink, CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(Dispose);
        while (true)
        {
            int n;
            try
            {
                n = _rx.Receive(_socket.SafeHandle);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
            {
                continue; // an ICMP error for an earlier send (no server yet): keepalives will find it
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return Volatile.Read(ref _disposed) != 0 ? "closed" : $"receive failed: {e.Message}";
            }
            if (Volatile.Read(ref _disposed) != 0)
            {
                return "closed";
            }
            for (var i = 0; i < n; i++)
            {
                if (_isServer)
                {
                    var source = _rx.Source(i);
                    var peer = Volatile.Read(ref _peer);
                    if (peer is null || !source.SequenceEqual(peer))
                    {
                        Learn(source, peer is null);
                    }
                }
                var datagram = _rx.Datagram(i);
                var length = _rx.Truncated(i) ? _maxPacket + 1 : datagram.Length;
                switch (DatagramFraming.Classify(length, _ethernet, _maxPacket))
                {
                    case DatagramKind.Packet:
                        sink.Deliver(datagram);
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
            sink.EndOfBatch();
        }
    }

    private void Learn(ReadOnlySpan<byte> raw, bool first)
    {
        var copy = raw.ToArray();
        var family = BitConverter.ToUInt16(copy, 0) == 10 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        var address = new SocketAddress(family, copy.Length);
        copy.CopyTo(address.Buffer.Span);
        var any = family == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        var name = TcpLink.Describe(any.Create(address));
        var old = Volatile.Read(ref _peerName);
        Volatile.Write(ref _peer, copy);
        Volatile.Write(ref _peerName, name);
        _counters.AddConnection();
        _log.Info(first ? $"peer is {name}" : $"peer moved from {old} to {name}");
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

    /// <summary>Closes the socket and stops keepalives (the batches belong to the transport).</summary>
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
