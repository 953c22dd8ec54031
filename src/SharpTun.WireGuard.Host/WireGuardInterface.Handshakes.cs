namespace SharpTun.WireGuard.Host;

public sealed partial class WireGuardInterface
{
    /// <summary>Handshake workers: one per core (wireguard-go runs NumCPU), at most 4.</summary>
    internal static readonly int HandshakeWorkers = Math.Clamp(Environment.ProcessorCount, 1, 4);

    private readonly HandshakeScratch _drainScratch = new();
    private readonly HandshakeStage _handshakes;
    private readonly List<Thread> _handshakeThreads = [];
    private long _cookieRepliesSent;

    /// <summary>The handshake queue between the receive thread and the handshake worker (see <see cref="HandshakeStage"/>).</summary>
    internal HandshakeStage Handshakes => _handshakes;

    /// <summary>Cookie replies sent (handshakes answered with "retry with this cookie" while under load).</summary>
    public long CookieRepliesSent => Interlocked.Read(ref _cookieRepliesSent);

    /// <summary>
    /// True while the handshake queue is more than 1/8 full, and for a second after: handshakes then need
    /// a cookie (mac2) and are rate-limited per source. Random datagrams and bad mac1 never cause it.
    /// </summary>
    public bool UnderLoad => Handshakes.UnderLoad;

    /// <summary>Handshake messages waiting for the handshake worker now.</summary>
    public int HandshakesQueued => Handshakes.Count;

    /// <summary>
    /// The receive path's share of a handshake message: mac1 (cheap); under load, a message without mac2 from a
    /// source whose cookie replies are used up is dropped here (a look at the rate limiter, no cookie work);
    /// the rest into the queue. Returns at once; no Diffie-Hellman or cookie work runs here.
    /// </summary>
    internal void AdmitHandshake(WireGuardDevice device, ReadOnlySpan<byte> message, in DatagramEndpoint source)
    {
        if (!device.CheckMac1(message))
        {
            Count(DropReason.BadMac1, null);
            return;
        }
        device.UnderLoad = Handshakes.UnderLoad;
        if (!device.WorthQueueing(message, source.Remote))
        {
            // Under load, no mac2 and the source's cookie replies used up: a worker could only drop it.
            Count(DropReason.RateLimited, null);
            return;
        }
        if (!Handshakes.TryEnqueue(message, source))
        {
            Count(DropReason.HandshakeQueueFull, null);
        }
    }

    /// <summary>One worker's buffers: a reply and the queued packets are encrypted into Buffer and sent from One.</summary>
    private sealed class HandshakeScratch
    {
        internal readonly byte[] Buffer = new byte[SlotSize];
        internal readonly Memory<byte>[] One = new Memory<byte>[1];
    }

    /// <summary>Starts the handshake worker threads; under the interface lock.</summary>
    private void StartHandshakeWorkers()
    {
        for (var i = 0; i < HandshakeWorkers; i++)
        {
            var scratch = new HandshakeScratch();
            _handshakeThreads.Add(StartThread(() => _handshakes.Run((ReadOnlySpan<byte> m, in DatagramEndpoint s) => ProcessHandshake(m, s, scratch)), "handshake"));
        }
    }

    /// <summary>A handshake processed on the thread that drains the queue (no workers: tests driving the pumps).</summary>
    private void ProcessHandshake(ReadOnlySpan<byte> message, in DatagramEndpoint source) => ProcessHandshake(message, source, _drainScratch);

    /// <summary>A handshake worker's share: under-load state, the core's handshake processing, the reply and queued packets sent.</summary>
    private void ProcessHandshake(ReadOnlySpan<byte> message, in DatagramEndpoint source, HandshakeScratch scratch)
    {
        var buffer = scratch.Buffer;
        _pumpGate.EnterBatch();
        try
        {
            var device = _device;
            device.UnderLoad = Handshakes.UnderLoad;
            var bind = Volatile.Read(ref _bind);
            // An authenticated handshake makes the source (with the local address it arrived on) the peer's endpoint.
            var r = device.DecapsulateCheckedHandshake(source, message, buffer); // mac1 checked before it was queued
            var state = r.Peer is null ? null : State(r.Peer);
            switch (r.Action)
            {
                case WireGuardAction.WriteToNetwork:
                    if (r.Peer is null)
                    {
                        // Only a cookie reply answers a handshake without naming a peer.
                        Interlocked.Increment(ref _cookieRepliesSent);
                    }
                    scratch.One[0] = buffer.AsMemory(0, r.Length);
                    var destination = r.Destination;
                    var errno = bind.Send(scratch.One, 0, destination);
                    if (errno != 0)
                    {
                        SendFailed(errno, destination, state, 1);
                    }
                    break;
                case WireGuardAction.Error:
                    CountError(r);
                    break;
            }
            if (r.Peer is not null && r.Peer.QueuedPackets > 0 && r.Peer.HasSession)
            {
                SendPending(state!, buffer, bind, scratch.One);
            }
        }
        finally
        {
            _pumpGate.ExitBatch();
        }
    }
}
