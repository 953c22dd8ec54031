using System.Net;
using System.Net.Sockets;
using SharpTun.Protocol.Framing;

namespace SharpTun.Tunnel;

/// <summary>
/// A TCP connection carrying simpletun framing. Sends write the prefixes into the batch's
/// headroom and push the whole batch with one send(2) (partial sends are continued). Receives
/// read up to the receive buffer's size per recv(2) and decode every packet in it; a bad length,
/// or a stream that ends inside a packet, is a protocol error: logged with the peer's address,
/// counted, the connection closed, nothing of it written to the device.
/// </summary>
public sealed class TcpLink : IPeerLink
{
    private readonly Socket _socket;
    private readonly RelayBuffers _buffers;
    private readonly TunnelCounters _counters;
    private readonly TunnelLog _log;
    private readonly Action? _onDispose;
    private int _disposed;

    /// <summary>Wraps a connected socket; <paramref name="onDispose"/> runs once when the link is disposed.</summary>
    public TcpLink(Socket socket, RelayBuffers buffers, TunnelCounters counters, TunnelLog log, Action? onDispose = null)
    {
        _socket = socket;
        _buffers = buffers;
        _counters = counters;
        _log = log;
        _onDispose = onDispose;
        PeerName = Describe(socket.RemoteEndPoint);
        Tune(socket);
    }

    /// <inheritdoc/>
    public string PeerName { get; }

    /// <inheritdoc/>
    public bool CanSend => true;

    /// <inheritdoc/>
    public bool SendsWithoutBlocking => false;

    /// <summary>Options every tunnel TCP socket gets: no Nagle delay, and dead peers found within ~30 s.</summary>
    public static void Tune(Socket socket)
    {
        socket.NoDelay = true;
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 10);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 5);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 4);
        // TCP_USER_TIMEOUT (18): give up on data unacknowledged for 30 s (a vanished peer).
        socket.SetRawSocketOption(6, 18, BitConverter.GetBytes(30_000));
        // Send and receive buffers stay kernel-autotuned (up to tcp_wmem/tcp_rmem max, MBs);
        // fixing them with SO_SNDBUF would cap them at wmem_max (~200 KB).
    }

    /// <inheritdoc/>
    public void Send(PacketBatch batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            LengthPrefixFraming.WriteHeader(batch.PacketWithHeadroom(i), batch.Packet(i).Length);
        }
        var data = batch.Contiguous;
        while (!data.IsEmpty)
        {
            var n = _socket.Send(data, SocketFlags.None, out var error);
            if (error != SocketError.Success)
            {
                throw new SocketException((int)error);
            }
            data = data[n..];
        }
    }

    /// <inheritdoc/>
    public string Receive(IPacketSink sink, CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(Dispose);
        var decoder = _buffers.Decoder;
        decoder.Reset();
        var buffer = _buffers.Receive;
        while (true)
        {
            var n = _socket.Receive(buffer, SocketFlags.None, out var error);
            if (error != SocketError.Success)
            {
                return Volatile.Read(ref _disposed) != 0 ? "closed" : $"receive failed: {error}";
            }
            if (n == 0)
            {
                if (decoder.HasPartialPacket)
                {
                    _counters.AddProtocolError();
                    _log.Info($"protocol error from {PeerName}: stream ended inside a packet ({FormatPartial(decoder)}); nothing of it was written");
                    return "protocol error (truncated packet)";
                }
                return "peer closed the connection";
            }
            ReadOnlySpan<byte> input = buffer.AsSpan(0, n);
            while (true)
            {
                var status = decoder.Decode(ref input, out var packet);
                if (status == FrameDecodeStatus.Packet)
                {
                    sink.Deliver(packet);
                    continue;
                }
                if (status == FrameDecodeStatus.InvalidLength)
                {
                    _counters.AddProtocolError();
                    _log.Info($"protocol error from {PeerName}: packet length {decoder.InvalidLengthValue} " +
                        $"(valid: 1..{decoder.MaxPacketLength}); closing the connection");
                    return "protocol error (bad length)";
                }
                sink.EndOfBatch();
                break;
            }
        }
    }

    /// <summary>Closes the connection (both directions return).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        // Free the server's single peer slot before the peer can see the close, so a client that
        // reconnects at once is accepted, not refused as a second peer.
        _onDispose?.Invoke();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        _socket.Dispose();
    }

    private static string FormatPartial(FrameDecoder decoder) => decoder.PendingLength > 0
        ? $"length {decoder.PendingLength}, {decoder.PartialBytes - LengthPrefixFraming.HeaderSize} bytes received"
        : "1 byte of a length prefix";

    internal static string Describe(EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint ip when ip.Address.IsIPv4MappedToIPv6 => new IPEndPoint(ip.Address.MapToIPv4(), ip.Port).ToString(),
        null => "(unknown)",
        _ => endPoint.ToString() ?? "(unknown)",
    };
}
