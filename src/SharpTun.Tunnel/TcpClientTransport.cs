using System.Net;
using System.Net.Sockets;
using SharpTun.Linux.IO;

namespace SharpTun.Tunnel;

/// <summary>
/// The TCP client side, on the relay's event loop: a non-blocking connect (completion seen as
/// writable), then the connection; when it ends or a connect fails, the next attempt waits
/// <see cref="Backoff"/> (growing while the server accepts and resets at once). The server's
/// address was resolved before the relay started; the addresses are tried in turn.
/// </summary>
internal sealed class TcpClientTransport : IRelayTransport
{
    // A connect that has not completed in this time counts as failed.
    private static readonly TimeSpan s_connectTimeout = TimeSpan.FromSeconds(5);

    private readonly IPEndPoint[] _servers;
    private readonly Func<AddressFamily, Socket> _sockets;
    private readonly TcpBuffers _buffers;
    private readonly TunnelCounters _counters;
    private readonly EventLimiter _events;
    private readonly Backoff _backoff = new();
    private Socket? _connecting;
    private IPEndPoint? _connectingTo;
    private long _connectStartedMs;
    private long _nextAttemptMs;
    private int _serverIndex;
    private int _failures;
    private bool _connectedBefore;
    private TcpConnection? _peer;
    private int _version;
    private int _index = -1;

    internal TcpClientTransport(IPEndPoint[] servers, Func<AddressFamily, Socket> sockets, TcpBuffers buffers, TunnelCounters counters, EventLimiter events)
    {
        _servers = servers;
        _sockets = sockets;
        _buffers = buffers;
        _counters = counters;
        _events = events;
        Description = $"TCP client of {TcpConnection.Describe(servers[0])}";
    }

    public string Description { get; }

    public string? PeerName => _peer?.Name;

    public bool CanSend => _peer is not null;

    public bool IsBacklogged => _peer?.HasPending == true;

    public int MaxBatch => _buffers.BatchSize;

    public int HandleVersion => _version;

    public void Register(Poller poller)
    {
        var socket = _peer?.Socket ?? _connecting;
        _index = socket is null ? -1 : poller.Add(socket.SafeHandle);
    }

    public void UpdateInterest(Poller poller)
    {
        if (_index < 0)
        {
            return;
        }
        var events = _connecting is not null ? PollEvents.Writable
            : _peer!.HasPending ? PollEvents.Readable | PollEvents.Writable : PollEvents.Readable;
        poller.SetEvents(_index, events);
    }

    public long MillisecondsToNextTimer(long nowMs)
    {
        var flush = _events.MillisecondsToFlush(nowMs);
        long due = _peer is not null ? -1
            : _connecting is not null ? Math.Max(0, _connectStartedMs + (long)s_connectTimeout.TotalMilliseconds - nowMs)
            : Math.Max(0, _nextAttemptMs - nowMs);
        return due < 0 ? flush : flush < 0 ? due : Math.Min(due, flush);
    }

    public void Process(Poller poller, long nowMs, DeviceWriter device)
    {
        _events.Flush(nowMs);
        if (_peer is { } peer)
        {
            var ready = _index >= 0 ? poller.Ready(_index) : PollEvents.None;
            if ((ready & PollEvents.Writable) != 0 && !peer.Flush())
            {
                End(nowMs, "send failed");
            }
            else if ((ready & PollEvents.Readable) != 0)
            {
                var status = peer.Receive(device, nowMs);
                if (status != ReceiveStatus.Open)
                {
                    Ended(peer, status, nowMs);
                }
            }
            return;
        }
        if (_connecting is { } socket)
        {
            var ready = _index >= 0 ? poller.Ready(_index) : PollEvents.None;
            if (ready != PollEvents.None)
            {
                var error = (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
                if (error == SocketError.Success)
                {
                    Connected(socket, nowMs);
                }
                else
                {
                    Failed(nowMs, SocketWords.Describe(error));
                }
            }
            else if (nowMs - _connectStartedMs >= (long)s_connectTimeout.TotalMilliseconds)
            {
                Failed(nowMs, "timed out");
            }
            return;
        }
        if (nowMs >= _nextAttemptMs)
        {
            StartConnect(nowMs);
        }
    }

    public bool Send(ReadOnlySpan<Memory<byte>> packets, ReadOnlySpan<int> sizes, int offset, long nowMs)
    {
        if (_peer!.Send(packets, sizes, offset))
        {
            return true;
        }
        End(nowMs, "send failed");
        return false;
    }

    // Kept out of Process: a lambda capturing locals there would allocate its closure on every call.
    private void Ended(TcpConnection peer, ReceiveStatus status, long nowMs)
    {
        if (status is ReceiveStatus.BadLength or ReceiveStatus.Truncated)
        {
            _counters.AddProtocolError();
            var detail = status == ReceiveStatus.BadLength
                ? peer.Problem
                : $"stream from {peer.Name} ended inside a packet ({peer.PartialDescription})";
            _events.Report(TunnelEventKind.ProtocolError, nowMs, () => $"protocol error: {detail}; closing the connection", peer.Name);
        }
        End(nowMs, status switch
        {
            ReceiveStatus.Closed => "the server closed the connection",
            ReceiveStatus.Failed => "connection reset or timed out",
            _ => "protocol error",
        });
    }

    private void StartConnect(long nowMs)
    {
        var server = _servers[_serverIndex];
        _serverIndex = (_serverIndex + 1) % _servers.Length;
        Socket socket;
        try
        {
            socket = _sockets(server.AddressFamily);
            SocketTuning.TuneTcp(socket);
        }
        catch (SocketException e)
        {
            _nextAttemptMs = nowMs + (long)_backoff.NextDelay().TotalMilliseconds;
            _events.Report(TunnelEventKind.ConnectFailed, nowMs, () => $"cannot create a socket for {server}: {SocketWords.Describe(e.SocketErrorCode)}");
            return;
        }
        _connectingTo = server;
        _connectStartedMs = nowMs;
        try
        {
            socket.Connect(server);
            _connecting = socket;
            Connected(socket, nowMs);
            return;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            _connecting = socket;
            _version++;
        }
        catch (SocketException e)
        {
            _connecting = socket;
            Failed(nowMs, SocketWords.Describe(e.SocketErrorCode));
        }
    }

    private void Connected(Socket socket, long nowMs)
    {
        _connecting = null;
        _peer = new TcpConnection(socket, _connectingTo!, _buffers, nowMs);
        _version++;
        _failures = 0;
        _connectedBefore = true;
        _counters.AddConnection();
        var name = _peer.Name;
        _events.Report(TunnelEventKind.PeerConnected, nowMs, () => $"connected to {name}", name);
    }

    private void Failed(long nowMs, string why)
    {
        _connecting?.Dispose();
        _connecting = null;
        _version++;
        _failures++;
        var delay = _backoff.NextDelay();
        _nextAttemptMs = nowMs + (long)delay.TotalMilliseconds;
        var failures = _failures;
        var server = _connectingTo;
        _events.Report(TunnelEventKind.ConnectFailed, nowMs,
            () => $"cannot connect to {server}: {why}; {(_connectedBefore ? "reconnecting" : "retrying")} in {delay.TotalSeconds:0.0#} s (attempt {failures})");
    }

    private void End(long nowMs, string reason)
    {
        var peer = _peer!;
        _peer = null;
        _index = -1;
        _version++;
        peer.Close(reset: false);
        _backoff.ConnectionEnded(peer.CarriedData, TimeSpan.FromMilliseconds(nowMs - peer.OpenedMs));
        var delay = _backoff.NextDelay();
        _nextAttemptMs = nowMs + (long)delay.TotalMilliseconds;
        _events.Report(TunnelEventKind.PeerGone, nowMs, () => $"peer {peer.Name} gone: {reason}; reconnecting in {delay.TotalSeconds:0.0#} s", peer.Name);
    }

    public void Dispose()
    {
        _peer?.Close(reset: false);
        _peer = null;
        _connecting?.Dispose();
        _connecting = null;
    }
}
