namespace SharpTun.WireGuard.Host;

/// <summary>
/// The handshake stage of the receive side: a bounded queue of handshake messages whose mac1 already
/// checked, and the one worker that does the expensive part (Diffie-Hellman, cookie replies, the
/// responses). Load is what this queue holds, not what arrives (wireguard-go's IsUnderLoad): more than
/// <see cref="Capacity"/>/8 entries puts the interface under load for a second, and only then are
/// cookies demanded. A full queue drops the handshake (counted), never data.
/// <code>
///  UDP socket ──► "udp" thread holding InboundPipeline's read turn   tun device
///                   │ classify by type and size                         ▲
///                   ├─ data (type 4) ── opened by that thread after the turn, in-order write ─┘  (never waits for handshakes)
///                   ├─ cookie reply ── consumed in place (cheap, needs a live index)
///                   └─ initiation / response
///                        │ mac1 (one BLAKE2s) ── bad ──► drop bad_mac1 (does not count as load)
///                        │ under load: no mac2 and the source's cookie replies used up ──► drop rate_limited
///                        ▼
///                   HandshakeStage: ring of Capacity slots (148 B each, allocated once)
///                        │  full ──► drop handshake_queue_full
///                        ▼  (one lock, held only to copy a slot in or out)
///                   "handshake" threads (one per core, at most 4): under-load state → core (mac2 / cookie reply, rate
///                        limits, DH) → response sent; packets queued for the peer sent
/// </code>
/// Each worker has its own message and scratch buffers. The queue lock is a leaf: nothing else is taken while it is held. The worker processes each message
/// inside a <see cref="PumpGate"/> batch, as the pumps do. Without a worker thread (tests driving the
/// pumps one batch at a time) the socket reader drains the queue itself at the end of each batch.
/// </summary>
internal sealed class HandshakeStage
{
    /// <summary>Queue slots (wireguard-go's QueueHandshakeSize is 1024).</summary>
    internal const int DefaultCapacity = 1024;

    /// <summary>How long the interface stays under load after the queue was last over 1/8 full (wireguard-go's UnderLoadAfterTime).</summary>
    internal static readonly TimeSpan UnderLoadAfter = TimeSpan.FromSeconds(1);

    /// <summary>Processes one message from <paramref name="source"/>; runs on the worker (or the draining pump).</summary>
    internal delegate void Handler(ReadOnlySpan<byte> message, in DatagramEndpoint source);

    private readonly object _sync = new();
    private readonly Lock _drain = new();
    private readonly byte[][] _slots;
    private readonly int[] _lengths;
    private readonly DatagramEndpoint[] _sources;
    private readonly byte[] _work = new byte[WireGuardConstants.InitiationSize];
    private readonly Handler _handler;
    private readonly TimeProvider _time;
    private int _head;
    private int _count;
    private int _waiting;
    private int _workers; // running Run loops (awake = _workers - _waiting)
    private bool _shutdown;
    private bool _workerRuns;
    private long _underLoadUntil = long.MinValue;

    internal HandshakeStage(Handler handler, TimeProvider time, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 8);
        _handler = handler;
        _time = time;
        _slots = new byte[capacity][];
        for (var i = 0; i < capacity; i++)
        {
            _slots[i] = new byte[WireGuardConstants.InitiationSize];
        }
        _lengths = new int[capacity];
        _sources = new DatagramEndpoint[capacity];
    }

    /// <summary>Slots in the queue.</summary>
    internal int Capacity => _slots.Length;

    /// <summary>Messages waiting now.</summary>
    internal int Count => Volatile.Read(ref _count);

    /// <summary>Handshakes dropped because the queue was full.</summary>
    internal long Dropped => Interlocked.Read(ref _dropped);

    private long _dropped;

    /// <summary>
    /// For tests: the delay (or any hook) run before each message is processed, to make the stage slow
    /// on purpose; null in production.
    /// </summary>
    internal Action? BeforeProcess { get; set; }

    /// <summary>For tests driving the pumps: while set, the pump's end-of-batch drain leaves the queue alone (a stalled worker).</summary>
    internal bool Hold { get; set; }

    /// <summary>
    /// True while the queue is more than 1/8 full, and for <see cref="UnderLoadAfter"/> after it last was.
    /// Reading it refreshes that window.
    /// </summary>
    internal bool UnderLoad
    {
        get
        {
            var now = _time.GetTimestamp();
            if (Count > Capacity / 8)
            {
                Volatile.Write(ref _underLoadUntil, now + (long)(UnderLoadAfter.TotalSeconds * _time.TimestampFrequency));
                return true;
            }
            return now < Volatile.Read(ref _underLoadUntil);
        }
    }

    /// <summary>Copies a handshake message (≤ 148 bytes) into a free slot; false (counted) when the queue is full.</summary>
    internal bool TryEnqueue(ReadOnlySpan<byte> message, in DatagramEndpoint source)
    {
        if (message.Length > WireGuardConstants.InitiationSize)
        {
            throw new ArgumentException($"a handshake message is at most {WireGuardConstants.InitiationSize} bytes, got {message.Length}", nameof(message));
        }
        lock (_sync)
        {
            if (_count == _slots.Length || _shutdown)
            {
                Interlocked.Increment(ref _dropped);
                return false;
            }
            var tail = (_head + _count) % _slots.Length;
            message.CopyTo(_slots[tail]);
            _lengths[tail] = message.Length;
            _sources[tail] = source;
            Volatile.Write(ref _count, _count + 1);
        }
        return true;
    }

    /// <summary>Messages waiting per awake worker before another is woken (an awake worker takes every message before it parks).</summary>
    internal const int MessagesPerWorker = 16;

    /// <summary>
    /// Wakes parked workers for the messages waiting: one per <see cref="MessagesPerWorker"/>, less those awake
    /// already (they take every message before they park). The receive path calls it once per batch, so a
    /// flood costs at most one wake-up per batch, and none while a worker is still busy with the last one:
    /// measured, waking every parked worker per batch left the receive and handshake threads switching
    /// (a third of the victim's cycles in <c>finish_task_switch</c> under 130,000 initiations/s).
    /// </summary>
    internal void Signal()
    {
        if (Volatile.Read(ref _count) == 0)
        {
            return;
        }
        lock (_sync)
        {
            var wanted = (_count + MessagesPerWorker - 1) / MessagesPerWorker;
            for (var n = Math.Min(_waiting, wanted - (_workers - _waiting)); n > 0; n--)
            {
                Monitor.Pulse(_sync);
            }
        }
    }

    /// <summary>The worker thread's loop: waits for messages and processes them until <see cref="Shutdown"/>.</summary>
    internal void Run() => Run(_handler);

    /// <summary>
    /// A worker thread's loop with its own handler (its own scratch buffers): several workers may run at
    /// once (the core is thread-safe), each taking the oldest message.
    /// </summary>
    internal void Run(Handler handler)
    {
        Volatile.Write(ref _workerRuns, true);
        lock (_sync)
        {
            _workers++;
        }
        var work = new byte[WireGuardConstants.InitiationSize]; // once per thread
        try
        {
            while (TryTake(wait: true, work, out var length, out var source))
            {
                BeforeProcess?.Invoke();
                handler(work.AsSpan(0, length), source);
            }
        }
        finally
        {
            lock (_sync)
            {
                _workers--;
            }
        }
    }

    /// <summary>
    /// Processes what is queued now, on the calling thread, when no worker runs (a pump driven by a test);
    /// nothing when a worker runs. Returns how many.
    /// </summary>
    internal int Drain()
    {
        if (Hold || Volatile.Read(ref _workerRuns))
        {
            return 0;
        }
        // One drainer at a time: several pipeline threads may finish a batch before the first worker runs,
        // and the message buffer (and the handler's scratch) are the drainer's.
        lock (_drain)
        {
            var n = 0;
            while (TryTake(wait: false, _work, out var length, out var source))
            {
                BeforeProcess?.Invoke();
                _handler(_work.AsSpan(0, length), source);
                n++;
            }
            return n;
        }
    }

    /// <summary>For tests: forgets what is queued.</summary>
    internal void Clear()
    {
        lock (_sync)
        {
            _head = 0;
            Volatile.Write(ref _count, 0);
        }
    }

    /// <summary>Wakes the worker to end; later messages are refused.</summary>
    internal void Shutdown()
    {
        lock (_sync)
        {
            _shutdown = true;
            Monitor.PulseAll(_sync);
        }
    }

    /// <summary>Moves the oldest message into <paramref name="work"/>; false when empty (not waiting) or shut down.</summary>
    private bool TryTake(bool wait, byte[] work, out int length, out DatagramEndpoint source)
    {
        lock (_sync)
        {
            while (_count == 0)
            {
                if (!wait || _shutdown)
                {
                    length = 0;
                    source = default;
                    return false;
                }
                _waiting++;
                Monitor.Wait(_sync);
                _waiting--;
            }
            if (_shutdown && wait)
            {
                length = 0;
                source = default;
                return false;
            }
            length = _lengths[_head];
            source = _sources[_head];
            _slots[_head].AsSpan(0, length).CopyTo(work);
            _head = (_head + 1) % _slots.Length;
            Volatile.Write(ref _count, _count - 1);
            return true;
        }
    }
}
