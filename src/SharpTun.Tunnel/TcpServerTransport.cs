using System.Net;
using System.Net.Sockets;

namespace SharpTun.Tunnel;

/// <summary>
/// Listens and hands out one connection at a time. Accepting runs on its own loop the whole
/// time, so a second connection while one is active is refused at once (closed and logged)
/// instead of queueing in the backlog; when the active link is disposed the next one is taken.
/// </summary>
public sealed class TcpServerTransport : ITransport
{
    private readonly Socket _listener;
    private readonly RelayBuffers _buffers;
    private readonly TunnelCounters _counters;
    private readonly TunnelLog _log;
    private readonly SemaphoreSlim _ready = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _acceptLoop;
    private Socket? _handoff;
    private int _active;

    /// <summary>Binds <paramref name="endPoint"/> (dual-stack when it is [::]) and starts accepting.</summary>
    public TcpServerTransport(IPEndPoint endPoint, RelayBuffers buffers, TunnelCounters counters, TunnelLog log, SocketFactory? sockets = null)
    {
        _buffers = buffers;
        _counters = counters;
        _log = log;
        _listener = (sockets ?? Sockets.Create)(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                _listener.DualMode = true;
            }
            _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _listener.Bind(endPoint);
            _listener.Listen(16);
        }
        catch (SocketException e)
        {
            _listener.Dispose();
            throw new IOException($"cannot listen on TCP {endPoint}: {e.Message}", e);
        }
        Description = $"TCP server on {TcpLink.Describe(_listener.LocalEndPoint)}";
        _acceptLoop = new Thread(AcceptLoop) { IsBackground = true, Name = "tcp accept" };
        _acceptLoop.Start();
    }

    /// <inheritdoc/>
    public string Description { get; }

    /// <summary>The bound address (port 0 resolved).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <inheritdoc/>
    public IPeerLink Next(CancellationToken cancellationToken)
    {
        _ready.Wait(cancellationToken);
        var socket = Interlocked.Exchange(ref _handoff, null)!;
        return new TcpLink(socket, _buffers, _counters, _log, () => Volatile.Write(ref _active, 0));
    }

    // Synchronous accept(2) on its own thread: accepted sockets stay in blocking mode (see
    // TcpClientTransport), and shutdown(2) of the listener wakes it for Dispose.
    private void AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = _listener.Accept();
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }
                _log.Info($"accept failed: {e.Message}");
                Thread.Sleep(100);
                continue;
            }
            if (Interlocked.CompareExchange(ref _active, 1, 0) != 0)
            {
                _counters.AddRefusedPeer();
                _log.Info($"refused connection from {TcpLink.Describe(socket.RemoteEndPoint)}: a peer is already connected");
                socket.LingerState = new LingerOption(true, 0);
                socket.Dispose();
                continue;
            }
            Volatile.Write(ref _handoff, socket);
            _ready.Release();
        }
    }

    /// <summary>Stops accepting and closes the listener.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _listener.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        _acceptLoop.Join(2000);
        _listener.Dispose();
        Interlocked.Exchange(ref _handoff, null)?.Dispose();
        _stop.Dispose();
    }
}
