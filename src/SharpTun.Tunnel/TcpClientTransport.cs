using System.Net;
using System.Net.Sockets;

namespace SharpTun.Tunnel;

/// <summary>Connects to the server, retrying with <see cref="Backoff"/> until it answers; again after each link ends.</summary>
public sealed class TcpClientTransport : ITransport
{
    private readonly EndPoint _server;
    private readonly RelayBuffers _buffers;
    private readonly TunnelCounters _counters;
    private readonly TunnelLog _log;
    private readonly SocketFactory _sockets;
    private readonly Backoff _backoff = new();
    private bool _connectedBefore;

    /// <summary>A client for <paramref name="server"/> (an <see cref="IPEndPoint"/> or <see cref="DnsEndPoint"/>).</summary>
    public TcpClientTransport(EndPoint server, RelayBuffers buffers, TunnelCounters counters, TunnelLog log, SocketFactory? sockets = null)
    {
        _server = server;
        _buffers = buffers;
        _counters = counters;
        _log = log;
        _sockets = sockets ?? Sockets.Create;
        Description = $"TCP client of {server}";
    }

    /// <inheritdoc/>
    public string Description { get; }

    /// <inheritdoc/>
    public IPeerLink Next(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var family = _server is IPEndPoint ip ? ip.AddressFamily : AddressFamily.InterNetworkV6;
            var socket = _sockets(family, SocketType.Stream, ProtocolType.Tcp);
            if (_server is DnsEndPoint)
            {
                socket.DualMode = true;
            }
            try
            {
                // A synchronous connect keeps the socket in blocking mode: after any async
                // operation .NET keeps a socket non-blocking and emulates blocking calls through
                // its epoll thread, which costs a thread hop (latency) on every receive.
                // SO_SNDTIMEO bounds a blocking connect(2) on Linux.
                socket.SendTimeout = 5000;
                using (cancellationToken.Register(socket.Dispose))
                {
                    socket.Connect(_server);
                }
                socket.SendTimeout = 0;
                _backoff.Reset();
                _connectedBefore = true;
                return new TcpLink(socket, _buffers, _counters, _log);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                socket.Dispose();
                cancellationToken.ThrowIfCancellationRequested();
                failures++;
                var delay = _backoff.NextDelay();
                // First failure and then every 10th, so a long outage does not flood the log.
                if (failures == 1 || failures % 10 == 0)
                {
                    var why = e is SocketException se ? se.Message : "timed out";
                    _log.Info($"cannot connect to {_server}: {why}; {(_connectedBefore ? "reconnecting" : "retrying")} in {delay.TotalSeconds:0.0#} s (attempt {failures})");
                }
                if (cancellationToken.WaitHandle.WaitOne(delay))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
        }
    }

    /// <summary>Nothing to release: each link owns its socket.</summary>
    public void Dispose()
    {
    }
}
