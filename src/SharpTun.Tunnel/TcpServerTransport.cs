using System.Net;
using System.Net.Sockets;
using SharpTun.Linux.IO;

namespace SharpTun.Tunnel;

/// <summary>
/// The TCP server side, on the relay's event loop: a non-blocking listener (backlog 512 for
/// connect bursts) and at most one peer connection, guarded by <see cref="TcpPolicy"/> and the
/// allow-list. Refused connections are reset at once; their events are rate-limited.
/// </summary>
internal sealed class TcpServerTransport : IRelayTransport
{
    internal const int ListenBacklog = 512;

    private readonly Socket _listener;
    private readonly TcpBuffers _buffers;
    private readonly TunnelCounters _counters;
    private readonly EventLimiter _events;
    private readonly AddressFilter _allow;
    private readonly TcpPolicy _policy;
    private TcpConnection? _peer;
    private int _version;
    private int _listenerIndex;
    private int _peerIndex = -1;

    internal TcpServerTransport(Socket listener, TcpBuffers buffers, TunnelCounters counters, EventLimiter events, AddressFilter allow, TcpPolicy policy)
    {
        _listener = listener;
        _listener.Blocking = false;
        _buffers = buffers;
        _counters = counters;
        _events = events;
        _allow = allow;
        _policy = policy;
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
        Description = $"TCP server on {TcpConnection.Describe(LocalEndPoint)}";
    }

    /// <summary>Binds and listens on <paramref name="endPoint"/> (dual-stack when it is [::]).</summary>
    internal static Socket Listen(Socket socket, IPEndPoint endPoint)
    {
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endPoint);
            socket.Listen(ListenBacklog);
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new TunnelException($"cannot listen on TCP {endPoint}: {SocketWords.Describe(e.SocketErrorCode)}", TunnelFailure.CannotListen, e);
        }
    }

    public string Description { get; }

    internal IPEndPoint LocalEndPoint { get; }

    public string? PeerName => _peer?.Name;

    public bool CanSend => _peer is not null;

    public bool IsBacklogged => _peer?.HasPending == true;

    public int MaxBatch => _buffers.BatchSize;

    public int HandleVersion => _version;

    public void Register(Poller poller)
    {
        _listenerIndex = poller.Add(_listener.SafeHandle);
        _peerIndex = _peer is null ? -1 : poller.Add(_peer.Socket.SafeHandle);
    }

    public void UpdateInterest(Poller poller)
    {
        if (_peerIndex >= 0)
        {
            poller.SetEvents(_peerIndex, _peer!.HasPending ? PollEvents.Readable | PollEvents.Writable : PollEvents.Readable);
        }
    }

    public long MillisecondsToNextTimer(long nowMs)
    {
        var flush = _events.MillisecondsToFlush(nowMs);
        if (_peer is not { } peer)
        {
            return flush;
        }
        var deadline = peer.CarriedData ? peer.LastReceiveMs + Ms(_policy.IdleTimeout) : peer.OpenedMs + Ms(_policy.FirstFrameTimeout);
        var due = Math.Max(0, deadline - nowMs);
        return flush < 0 ? due : Math.Min(due, flush);
    }

    public void Process(Poller poller, long nowMs, DeviceWriter device)
    {
        _events.Flush(nowMs);
        if (_peer is { } peer && _peerIndex >= 0)
        {
            var ready = poller.Ready(_peerIndex);
            if ((ready & PollEvents.Writable) != 0 && !peer.Flush())
            {
                Drop(nowMs, "send failed", timedOut: false);
            }
            else if ((ready & PollEvents.Readable) != 0)
            {
                HandleReceive(peer, device, nowMs);
            }
        }
        CheckTimers(nowMs);
        if (poller.IsReadable(_listenerIndex))
        {
            AcceptBurst(nowMs);
        }
    }

    public bool Send(ReadOnlySpan<Memory<byte>> packets, ReadOnlySpan<int> sizes, int offset, long nowMs)
    {
        if (_peer!.Send(packets, sizes, offset))
        {
            return true;
        }
        Drop(nowMs, "send failed", timedOut: false);
        return false;
    }

    private void HandleReceive(TcpConnection peer, DeviceWriter device, long nowMs)
    {
        var status = peer.Receive(device, nowMs);
        if (status != ReceiveStatus.Open)
        {
            Ended(peer, status, nowMs);
        }
    }

    // Kept out of HandleReceive: lambdas capturing a parameter there would allocate their closure on every call.
    private void Ended(TcpConnection peer, ReceiveStatus status, long nowMs)
    {
        switch (status)
        {
            case ReceiveStatus.BadLength:
                _counters.AddProtocolError();
                _events.Report(TunnelEventKind.ProtocolError, nowMs,
                    () => $"protocol error: {peer.Problem}; closing the connection", peer.Name);
                Drop(nowMs, "protocol error (bad length)", timedOut: false, report: false);
                return;
            case ReceiveStatus.Truncated:
                _counters.AddProtocolError();
                _events.Report(TunnelEventKind.ProtocolError, nowMs,
                    () => $"protocol error: stream from {peer.Name} ended inside a packet ({peer.PartialDescription}); nothing of it was written", peer.Name);
                Drop(nowMs, "protocol error (truncated packet)", timedOut: false, report: false);
                return;
            case ReceiveStatus.Closed:
                Drop(nowMs, "peer closed the connection", timedOut: false);
                return;
            default:
                Drop(nowMs, "connection reset or timed out", timedOut: false);
                return;
        }
    }

    private void CheckTimers(long nowMs)
    {
        if (_peer is not { } peer)
        {
            return;
        }
        if (!peer.CarriedData && nowMs - peer.OpenedMs >= Ms(_policy.FirstFrameTimeout))
        {
            Drop(nowMs, $"no packet within {_policy.FirstFrameTimeout.TotalSeconds:0.#} s of connecting", timedOut: true);
        }
        else if (peer.CarriedData && nowMs - peer.LastReceiveMs >= Ms(_policy.IdleTimeout))
        {
            Drop(nowMs, $"silent for {_policy.IdleTimeout.TotalSeconds:0.#} s", timedOut: true);
        }
    }

    private void AcceptBurst(long nowMs)
    {
        for (var i = 0; i < _policy.AcceptsPerWake; i++)
        {
            Socket socket;
            try
            {
                socket = _listener.Accept();
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // the connection was reset while queued (ECONNABORTED)
            }
            Admit(socket, nowMs);
        }
    }

    private void Admit(Socket socket, long nowMs)
    {
        var remote = (IPEndPoint)socket.RemoteEndPoint!;
        var name = TcpConnection.Describe(remote);
        string? refusal = null;
        if (!_allow.Allows(remote.Address))
        {
            refusal = "not in the allow-list";
        }
        else if (_peer is { } current)
        {
            if (nowMs - current.LastReceiveMs > Ms(_policy.ReplaceAfter))
            {
                var silent = (nowMs - current.LastReceiveMs) / 1000.0;
                _events.Report(TunnelEventKind.PeerReplaced, nowMs, () => $"peer {current.Name} silent for {silent:0.#} s: replaced by {name}", name);
                Drop(nowMs, $"replaced by {name}", timedOut: false, report: false);
            }
            else
            {
                refusal = $"a peer is already connected ({current.Name})";
            }
        }
        if (refusal is not null)
        {
            _counters.AddRefusedPeer();
            _events.Report(TunnelEventKind.PeerRefused, nowMs, () => $"refused connection from {name}: {refusal}", name);
            try
            {
                socket.LingerState = new LingerOption(true, 0);
            }
            catch (SocketException)
            {
            }
            socket.Dispose();
            return;
        }
        try
        {
            SocketTuning.TuneTcp(socket);
        }
        catch (SocketException)
        {
            socket.Dispose();
            return;
        }
        _peer = new TcpConnection(socket, remote, _buffers, nowMs);
        _version++;
        _counters.AddConnection();
        _events.Report(TunnelEventKind.PeerConnected, nowMs, () => $"peer {name} connected", name);
    }

    private void Drop(long nowMs, string reason, bool timedOut, bool report = true)
    {
        if (_peer is not { } peer)
        {
            return;
        }
        _peer = null;
        _peerIndex = -1;
        _version++;
        if (timedOut)
        {
            _counters.AddTimedOut();
        }
        peer.Close(reset: timedOut);
        if (report)
        {
            _events.Report(TunnelEventKind.PeerGone, nowMs, () => $"peer {peer.Name} gone: {reason}", peer.Name);
        }
    }

    private static long Ms(TimeSpan t) => (long)t.TotalMilliseconds;

    public void Dispose()
    {
        _peer?.Close(reset: false);
        _peer = null;
        _listener.Dispose();
    }
}
