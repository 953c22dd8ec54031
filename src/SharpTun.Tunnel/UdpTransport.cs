using SharpTun.IO;
using SharpTun.Linux.IO;
using SharpTun.Protocol.Framing;

namespace SharpTun.Tunnel;

/// <summary>
/// The UDP transport on an <see cref="IDatagramBind"/>, on the relay's event loop: one packet per
/// datagram, no prefix; the empty datagram is the keepalive. A client sends to the server (and a
/// keepalive at start and every interval) and takes datagrams only from it. A server answers its
/// current peer from the local address that peer spoke to (IP_PKTINFO), and follows a new source
/// only as <see cref="UdpPeerPolicy"/> allows. Receive slots are one byte longer than the largest
/// packet so an oversize datagram shows as such. Memory: one receive batch, fixed at start.
/// </summary>
internal sealed class UdpTransport : IRelayTransport
{
    private readonly IDatagramBind _bind;
    private readonly bool _isServer;
    private readonly bool _ethernet;
    private readonly int _maxPacket;
    private readonly TunnelCounters _counters;
    private readonly EventLimiter _events;
    private readonly UdpPeerPolicy _policy;
    private readonly long _keepaliveMs;
    private readonly Memory<byte>[] _rx;
    private readonly int[] _rxSizes;
    private readonly DatagramEndpoint[] _rxFrom;
    private readonly Memory<byte>[] _toDevice;
    private readonly Memory<byte>[] _toPeer;
    private readonly Memory<byte>[] _keepalive = [Memory<byte>.Empty];
    private DatagramEndpoint _peer;
    private bool _hasPeer;
    private string? _peerName;
    private long _peerLastHeardMs;
    private long _nextKeepaliveMs;
    private int _index;

    // Datagrams offered per receive, adapted to the load: the bind pins every buffer it is offered
    // (a handle per buffer per call), so an idle tunnel (a ping) offers a few and a busy one the
    // whole batch. Doubles when a receive filled it, halves when it was mostly empty.
    private const int MinReceiveBatch = 4;
    private int _receiveBatch = MinReceiveBatch;

    internal UdpTransport(IDatagramBind bind, DatagramEndpoint? server, int maxPacket, bool ethernet, int batchSize, TunnelCounters counters,
        EventLimiter events, UdpPeerPolicy policy, TimeSpan keepalive, string description)
    {
        _bind = bind;
        _isServer = server is null;
        _ethernet = ethernet;
        _maxPacket = maxPacket;
        _counters = counters;
        _events = events;
        _policy = policy;
        _keepaliveMs = (long)keepalive.TotalMilliseconds;
        var n = Math.Max(1, bind.BatchSize);
        _rx = new Memory<byte>[n];
        var memory = new byte[n * (maxPacket + 1)];
        for (var i = 0; i < n; i++)
        {
            _rx[i] = memory.AsMemory(i * (maxPacket + 1), maxPacket + 1);
        }
        _rxSizes = new int[n];
        _rxFrom = new DatagramEndpoint[n];
        _toDevice = new Memory<byte>[n];
        _toPeer = new Memory<byte>[Math.Max(1, batchSize)];
        if (server is { } s)
        {
            _peer = s;
            _hasPeer = true;
            _peerName = s.ToString();
            counters.AddConnection(); // a client's peer is the server, from the start
        }
        Description = description;
    }

    public string Description { get; }

    public string? PeerName => _hasPeer ? _peerName : null;

    public bool CanSend => _hasPeer;

    public bool IsBacklogged => false;

    public int MaxBatch => _toPeer.Length;

    public int HandleVersion => 0;

    public bool HasPending => _bind.HasPending;

    public void Register(Poller poller) => _index = poller.Add(_bind.PollHandle);

    public void UpdateInterest(Poller poller)
    {
    }

    public long MillisecondsToNextTimer(long nowMs)
    {
        var flush = _events.MillisecondsToFlush(nowMs);
        if (_isServer)
        {
            return flush;
        }
        var due = Math.Max(0, _nextKeepaliveMs - nowMs);
        return flush < 0 ? due : Math.Min(due, flush);
    }

    public void Process(Poller poller, long nowMs, DeviceWriter device)
    {
        _events.Flush(nowMs);
        if (!_isServer && nowMs >= _nextKeepaliveMs)
        {
            if (_bind.Send(_keepalive, 0, _peer) == 0)
            {
                _counters.AddKeepaliveSent();
            }
            _nextKeepaliveMs = nowMs + _keepaliveMs;
        }
        if (poller.IsReadable(_index) || _bind.HasPending)
        {
            Receive(device, nowMs);
        }
    }

    public bool Send(ReadOnlySpan<Memory<byte>> packets, ReadOnlySpan<int> sizes, int offset, long nowMs)
    {
        for (var i = 0; i < packets.Length; i++)
        {
            _toPeer[i] = packets[i][..(offset + sizes[i])];
        }
        // An errno (ENOBUFS: the qdisc is full; ECONNREFUSED from an earlier ICMP error) loses the
        // rest of the batch, like any UDP loss; the relay counts it.
        return _bind.Send(_toPeer.AsSpan(0, packets.Length), offset, _peer) == 0;
    }

    private void Receive(DeviceWriter device, long nowMs)
    {
        var offered = Math.Min(_receiveBatch, _rx.Length);
        var n = _bind.Receive(_rx.AsSpan(0, offered), _rxSizes, _rxFrom, 0);
        _receiveBatch = n == offered ? Math.Min(_rx.Length, offered * 2) : n < offered / 4 ? Math.Max(MinReceiveBatch, offered / 2) : offered;
        var count = 0;
        for (var i = 0; i < n; i++)
        {
            var size = _rxSizes[i];
            var kind = size < 0 ? DatagramKind.Oversize : DatagramFraming.Classify(size, _ethernet, _maxPacket);
            var from = _rxFrom[i];
            if (!_hasPeer || from != _peer)
            {
                if (!Admit(from, kind, size, i, nowMs))
                {
                    continue;
                }
            }
            _peerLastHeardMs = nowMs;
            switch (kind)
            {
                case DatagramKind.Packet:
                    _toDevice[count++] = _rx[i][..size];
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
        device.Write(_toDevice.AsSpan(0, count), 0);
    }

    // A datagram from someone other than the peer: true when it made them the peer.
    private bool Admit(DatagramEndpoint from, DatagramKind kind, int size, int slot, long nowMs)
    {
        if (!_isServer)
        {
            _counters.AddDropForeign();
            return false;
        }
        if (kind is DatagramKind.Runt or DatagramKind.Oversize ||
            (kind == DatagramKind.Packet && !UdpPeerPolicy.IsWellFormed(_rx[slot].Span[..size], _ethernet)))
        {
            _counters.AddDropForeign();
            return false;
        }
        if (!_policy.Moves(kind == DatagramKind.Keepalive, _hasPeer, _peerLastHeardMs, nowMs))
        {
            _counters.AddDropForeign();
            return false;
        }
        if (!_policy.MayBePeer(from.Remote))
        {
            _counters.AddDropForeign();
            _counters.AddRefusedPeer();
            var who = from.ToString();
            _events.Report(TunnelEventKind.PeerRefused, nowMs, () => $"ignored datagrams from {who}: not an allowed peer", who);
            return false;
        }
        var old = _hasPeer ? _peerName : null;
        _peer = from;
        _hasPeer = true;
        _peerName = from.ToString();
        _counters.AddConnection();
        var name = _peerName;
        if (old is null)
        {
            _events.Report(TunnelEventKind.PeerConnected, nowMs, () => $"peer is {name}", name);
        }
        else
        {
            _events.Report(TunnelEventKind.PeerMoved, nowMs, () => $"peer moved from {old} to {name}", name);
        }
        return true;
    }

    public void Dispose() => _bind.Dispose();
}
