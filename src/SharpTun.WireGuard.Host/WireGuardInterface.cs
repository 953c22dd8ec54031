using SharpTun.Packets.Offload;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// One running WireGuard interface: the protocol core between a tun device queue and a UDP bind, driven by
/// two pipelines (<see cref="OutboundPipeline"/>, <see cref="InboundPipeline"/>) of <see cref="Workers"/>
/// threads each, the handshake workers (<see cref="HandshakeStage"/>: Diffie-Hellman, cookies, responses; one
/// per core, at most 4), and the peer timers: a round every 100 ms that looks only at the peers something
/// happened to and those whose deadline came (retries, rekeys, keepalives, and the packets queued during a
/// handshake; see <see cref="Tick"/>), so idle peers cost nothing. Buffers are allocated once with 16 bytes of
/// headroom in front of each tun packet, so encryption and decryption happen in place; nothing is allocated per
/// packet.
/// <code>
///  threads              per pipeline                                  stages (in order for each batch)
///  ──────────────────   ──────────────────────────────────────────   ─────────────────────────────────────
///  tun threads ───► read turn (a lock: one holder) ──► OutboundBatch   1 read, TSO/USO split    } in the
///    (Workers)       ring of Workers+2 batches, seq 0,1,2,…           2 per-peer: route, session,} turn, so
///       │                                                               counter (in read order)  } in order
///       │  turn passed on; the same thread then, in parallel with the others:
///       ├──────────────────────────────────────────────────────────   3 seal its batch in place
///       ▼
///  releaser = whichever thread finished a batch while no other releases (ReleaseRing flag):
///    outbound: batches sent in seq order, one Send per endpoint (UDP GSO), then queued packets drained   4
///    inbound:  batches written in seq order to the tun (GRO coalescing), endpoint roaming, queued sent   4
///       ▲
///       ├──────────────────────────────────────────────────────────   3 open its batch in place
///       │  turn passed on; the same thread then:
///  udp threads ───► read turn ──► InboundBatch ring (Workers+2)       1 receive, 2 classify: data marked;
///    (Workers, per bind)                                                handshakes ─► HandshakeStage queue
///                                                                       ─► handshake workers (≤ 4), woken
///                                                                       after the batch's data is opened
///  timers (1): every 100 ms, under the interface lock
/// </code>
/// Per-peer order: the read turn numbers each direction's batches; a peer's packets get their counters in
/// that order (in the turn) and leave in that order (the ring releases batches only in sequence), so the peer
/// sees its packets in order whatever order the threads finish in. A packet is read, sealed (or opened) and
/// released by one thread: it never crosses cores between stages, and the only hand-off is the turn, once per
/// batch. With Workers = 1 each pipeline is one thread with a ring of one batch: the single pump it always was.
/// <para>Locks, in the order they may be taken (never the other way): the interface lock (<c>_gate</c>:
/// configuration, UAPI, timers) → <see cref="PumpGate.Exclusive"/> (waits until no batch is between its
/// reader's reservation and its release) → a peer's drain lock → the core's per-peer lock. The data path
/// takes only the last two, and the pump gate's shared side per batch (two interlocked operations); the
/// worker job ring's post lock is a leaf. The few changes a batch must not see half-done (a new private
/// key, a peer removed or re-created, a socket disposed) wait through the gate. A pipeline's read turn is taken
/// with none of these held and takes only them.</para>
/// <para>With a tun device opened with offloads (<see cref="IPacketQueue.Offloads"/>) the tun reader
/// splits TSO/USO super-packets and the tun writer coalesces decrypted TCP segments (and UDP
/// datagrams when the device took USO) back into super-packets, as GRO would;
/// <see cref="OffloadStatistics"/> counts both.</para>
/// </summary>
public sealed partial class WireGuardInterface : IDisposable
{
    /// <summary>Bytes in front of each tun packet: room for the 16-byte data message header.</summary>
    internal const int Headroom = WireGuardConstants.DataHeaderSize;

    /// <summary>A slot holds the largest IP packet plus header, padding (≤ 15) and tag, rounded up.</summary>
    internal const int SlotSize = (Headroom + 65535 + WireGuardConstants.PaddingMultiple + WireGuardConstants.TagSize + 15) & ~15;

    private static readonly TimeSpan s_timerInterval = TimeSpan.FromMilliseconds(100);

    private readonly Lock _gate = new();
    private readonly PumpGate _pumpGate = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<WireGuardPeer, PeerState> _states = new(ReferenceEqualityComparer.Instance);
    private readonly OffloadErrorCounters _offloadErrors = new();
    private readonly OffloadStatistics _offloadStats;
    private readonly IPacketQueue _tun;
    private readonly BindFactory _bindFactory;
    private readonly List<IDatagramBind> _retiredBinds = [];
    private readonly List<Thread> _oldNetThreads = [];
    private readonly List<Thread> _tunThreads = [];
    private readonly HostLog _log;
    private readonly TimeProvider _time;
    private readonly ManualResetEventSlim _stopSignal = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WireGuardDevice _device;
    private byte[] _privateKey;
    private IDatagramBind _bind;
    private Thread[] _netThreads = [];
    private Thread? _timerThread;
    private OutboundPipeline? _outbound;
    private InboundPipeline? _inbound;
    private int _workerCount = DefaultWorkers;
    private int _stopping;
    private Exception? _fault;

    /// <summary>
    /// Creates the interface around an open tun queue, a private key (32 bytes) and a way to open the
    /// UDP socket (opened here, on <paramref name="listenPort"/>). Nothing runs until <see cref="Start"/>.
    /// The interface owns the queue and the socket and disposes them.
    /// </summary>
    public WireGuardInterface(IPacketQueue tun, ReadOnlySpan<byte> privateKey, BindFactory bindFactory, ushort listenPort,
        uint fwmark = 0, HostLog? log = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(tun);
        ArgumentNullException.ThrowIfNull(bindFactory);
        if (tun.VnetHeaderSize > Headroom)
        {
            throw new ArgumentException($"device '{tun.Name}' has a {tun.VnetHeaderSize}-byte virtio-net header; at most {Headroom} is supported", nameof(tun));
        }
        _tun = tun;
        _time = time ?? TimeProvider.System;
        _privateKey = privateKey.ToArray();
        _device = new WireGuardDevice(privateKey, _time);
        RecordEndpointChanges(_device);
        _bindFactory = bindFactory;
        _log = log ?? HostLog.None;
        _bind = bindFactory(listenPort, fwmark);
        ListenPort = listenPort;
        FwMark = fwmark;
        _offloadStats = new OffloadStatistics(tun.VnetHeaderSize > 0 ? tun.Offloads : PacketOffloads.None, _offloadErrors);
        _offloadStats.UseUdp(() => Volatile.Read(ref _bind).OffloadStatistics);
        _handshakes = new HandshakeStage(ProcessHandshake, _time);
    }

    /// <summary>The interface (tun device) name.</summary>
    public string Name => _tun.Name;

    /// <summary>The configured listen port (0 = chosen by the kernel; see <see cref="ActualListenPort"/>).</summary>
    public ushort ListenPort { get; private set; }

    /// <summary>The port the UDP socket is bound to.</summary>
    public ushort ActualListenPort => Volatile.Read(ref _bind).LocalPort;

    /// <summary>The fwmark put on sent datagrams (0 = none).</summary>
    public uint FwMark { get; private set; }

    /// <summary>Drops of the whole interface by reason (including those attributed to a peer).</summary>
    public DropCounters Drops { get; } = new();

    /// <summary>What the tun offloads did: super-packets split and written, and packets the splitter refused.</summary>
    public OffloadStatistics Offloads => _offloadStats;

    /// <summary>Completes when the interface stopped: normally after <see cref="Stop"/>, faulted when a device or socket failed.</summary>
    public Task Completion => _completion.Task;

    /// <summary>
    /// The default of <see cref="Workers"/>: <c>SHARPTUN_WORKERS</c> when the environment sets it (1 to 256),
    /// else <see cref="DefaultWorkersFor"/> the cores.
    /// </summary>
    public static int DefaultWorkers { get; } = WorkersFromEnvironment(Environment.GetEnvironmentVariable("SHARPTUN_WORKERS")) ?? DefaultWorkersFor(Environment.ProcessorCount);

    /// <summary>
    /// The default for a machine of <paramref name="cores"/>: one worker per core, except on two cores or fewer, where it is
    /// 1 (each direction seals or opens on its reader's thread). Measured on 2 cores with both tunnel ends, iperf3 and the
    /// kernel sharing them (bench/run.sh): the hand-off to workers costs more in context switches than the third and
    /// fourth thread gain (one stream 3.5 Gbit/s with 2 workers, 4.1 with 1; bench/RESULTS.md).
    /// </summary>
    public static int DefaultWorkersFor(int cores) => cores <= 2 ? 1 : cores;

    /// <summary>The SHARPTUN_WORKERS value as a worker count; null when unset, empty or not 1 to 256 (ignored).</summary>
    internal static int? WorkersFromEnvironment(string? value) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 256 ? n : null;

    /// <summary>
    /// Data-plane threads per direction (each reads, seals or opens, and releases whole batches, taking turns at the
    /// read); default <see cref="DefaultWorkers"/>. 1 runs each direction on one thread, as a single pump. Set before
    /// <see cref="Start"/>.
    /// </summary>
    public int Workers
    {
        get => _workerCount;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 256);
            lock (_gate)
            {
                if (_timerThread is not null)
                {
                    throw new InvalidOperationException($"interface '{Name}': the number of workers can only be set before it starts");
                }
                _workerCount = value;
            }
        }
    }

    /// <summary>Starts the pump and timer threads.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_timerThread is not null)
            {
                throw new InvalidOperationException($"interface '{Name}' is already started");
            }
            var outbound = _outbound = new OutboundPipeline(this, _workerCount);
            for (var i = 0; i < _workerCount; i++)
            {
                _tunThreads.Add(StartThread(outbound.Run, "tun"));
            }
            _netThreads = StartInbound(_bind);
            _timerThread = StartThread(TimerLoop, "timers");
            StartHandshakeWorkers();
        }
        _log.Info(Name, $"started; listening on UDP port {ActualListenPort}");
    }

    /// <summary>
    /// Runs <paramref name="body"/> with the protocol core under the interface lock: the way to read or
    /// change peers, allowed IPs and keys while the tunnel runs.
    /// </summary>
    public T Configure<T>(Func<WireGuardDevice, T> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        lock (_gate)
        {
            return body(_device);
        }
    }

    /// <summary>Stops the threads (waits for them) and completes <see cref="Completion"/>. Idempotent; any thread.</summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopping, 1) != 0)
        {
            Join();
            return;
        }
        _stopSignal.Set();
        Handshakes.Shutdown();
        _tun.Shutdown();
        lock (_gate)
        {
            _bind.Shutdown();
        }
        Join();
        if (_fault is null)
        {
            _completion.TrySetResult();
        }
        else
        {
            _completion.TrySetException(_fault);
        }
        _log.Info(Name, "stopped");
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Stop();
        lock (_gate)
        {
            _compactTimer?.Dispose();
            _bind.Dispose();
            _pumpGate.Dispose();
            foreach (var b in _retiredBinds)
            {
                b.Dispose();
            }
            _retiredBinds.Clear();
            _device.Dispose();
            _outbound?.Dispose();
            _inbound?.Dispose();
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(_privateKey);
        }
        _tun.Dispose();
        _stopSignal.Dispose();
    }

    /// <summary>For tests driving the pumps on their own thread (not started): one tun batch (false after shutdown).</summary>
    internal bool PumpTunOnce() => (_outbound ??= new OutboundPipeline(this, 1)).RunOnce();

    /// <summary>For tests (not started): one UDP batch on the current socket (false after shutdown).</summary>
    internal bool PumpNetOnce() => (_inbound ??= new InboundPipeline(this, 1, 128)).RunOnce(_bind);

    /// <summary>The tun device queue.</summary>
    internal IPacketQueue Tun => _tun;

    /// <summary>The protocol core now (replaced only inside <see cref="PumpGate.Exclusive"/>).</summary>
    internal WireGuardDevice Device => _device;

    /// <summary>The UDP socket now.</summary>
    internal IDatagramBind Bind => Volatile.Read(ref _bind);

    /// <summary>What a pipeline enters per batch (see <see cref="PumpGate"/>).</summary>
    internal PumpGate Gate => _pumpGate;

    internal OffloadStatistics OffloadStats => _offloadStats;

    /// <summary>Tun reads the offload code refused, by cause (shared with <see cref="OffloadStats"/>).</summary>
    internal OffloadErrorCounters OffloadErrors => _offloadErrors;

    /// <summary>After a stop: bytes the data-plane threads (both pipelines') allocated while they ran.</summary>
    internal long DataPlaneAllocatedBytes => (_outbound?.AllocatedBytes ?? 0) + (_inbound?.AllocatedBytes ?? 0);

    /// <summary>The running pipelines' threads: (tun → UDP, UDP → tun); (0, 0) before the start.</summary>
    internal (int Outbound, int Inbound) PipelineThreads
    {
        get
        {
            lock (_gate)
            {
                return (_tunThreads.Count, _netThreads.Length);
            }
        }
    }

    /// <summary>Waits for the pipeline threads (which wait for their batches in flight), the timers and the handshake workers.</summary>
    private void Join()
    {
        Thread?[] threads;
        lock (_gate)
        {
            threads = [.. _tunThreads, .. _netThreads, _timerThread, .. _handshakeThreads, .. _oldNetThreads];
        }
        JoinAll(threads);
    }

    /// <summary>A new inbound pipeline on <paramref name="bind"/> and its <see cref="Workers"/> threads (under the lock).</summary>
    private Thread[] StartInbound(IDatagramBind bind)
    {
        var inbound = _inbound = new InboundPipeline(this, _workerCount, bind.BatchSize);
        var threads = new Thread[_workerCount];
        for (var i = 0; i < threads.Length; i++)
        {
            threads[i] = StartThread(() => inbound.Run(bind), "udp");
        }
        return threads;
    }

    private static void JoinAll(Thread?[] threads)
    {
        foreach (var t in threads)
        {
            if (t is not null && t != Thread.CurrentThread)
            {
                t.Join();
            }
        }
    }

    /// <summary><paramref name="count"/> slots of <paramref name="size"/> bytes in one pinned block.</summary>
    internal static Memory<byte>[] Slots(int count, int size)
    {
        var slots = new Memory<byte>[count];
        var block = GC.AllocateUninitializedArray<byte>(count * size, pinned: true);
        for (var i = 0; i < count; i++)
        {
            slots[i] = block.AsMemory(i * size, size);
        }
        return slots;
    }

    private Thread StartThread(Action body, string role)
    {
        var t = new Thread(() => Guard(body, role)) { IsBackground = true, Name = $"wg {Name} {role}" };
        t.Start();
        return t;
    }

    /// <summary>A pump that fails (device deleted, socket broken) stops the whole interface with that error.</summary>
    private void Guard(Action body, string role)
    {
        try
        {
            body();
        }
        catch (Exception e)
        {
            Failed(e, $"{role} thread");
        }
    }

    /// <summary>A failure on a data-plane thread: stops the interface with it (unless it is stopping anyway).</summary>
    internal void Failed(Exception e, string where)
    {
        if (Volatile.Read(ref _stopping) != 0)
        {
            return; // shutting down: a device or socket closed under a blocked call is expected
        }
        if (Interlocked.CompareExchange(ref _fault, e, null) is null)
        {
            _log.Error(Name, $"{where} failed: {e.Message}; stopping");
            ThreadPool.UnsafeQueueUserWorkItem(_ => Stop(), null);
        }
    }

    /// <summary>
    /// The core owns each peer's endpoint and reports its changes (under the peer's lock, in order): they go into the
    /// peer's history. Only while <paramref name="device"/> is the current core: a peer moved to a new one by a private
    /// key change is not "changed", and a packet still in flight on the old core records nothing.
    /// </summary>
    private void RecordEndpointChanges(WireGuardDevice device) =>
        device.EndpointChanged = (WireGuardPeer peer, in DatagramEndpoint from, in DatagramEndpoint to, string cause) =>
        {
            if (!ReferenceEquals(device, Volatile.Read(ref _device)))
            {
                return;
            }
            if (!_states.TryGetValue(peer, out var state))
            {
                if (!ReferenceEquals(device.FindPeer(peer.PublicKey.Span), peer))
                {
                    return; // removed meanwhile: its history went with it
                }
                state = State(peer); // added to the core directly: tracked from now on
            }
            state.Record(from.Remote, to.Remote, cause);
        };

    internal PeerState State(WireGuardPeer peer) =>
        _states.TryGetValue(peer, out var s)
            ? s
            // A peer added to the core directly (not through the host): track it from now on.
            : _states.GetOrAdd(peer, static p => new PeerState(p));

    /// <summary>Counts a dropped input under the lock's caller (any thread; counters are atomic).</summary>
    internal void Count(DropReason reason, PeerState? state, long count = 1)
    {
        Drops.Add(reason, count);
        if (state is not null)
        {
            state.CountDrop(reason, count);
            _device.NoteChanged(state.Peer); // the watcher reports grown drops
        }
    }

    internal void CountError(in WireGuardResult r)
    {
        if (DropCounters.FromError(r.Error) is { } reason)
        {
            Count(reason, r.Peer is null ? null : State(r.Peer));
            if (_log.IsEnabled(HostLogLevel.Debug))
            {
                _log.Debug(Name, $"dropped: {DropCounters.Name(reason)} ({r.Error}){(r.Peer is null ? "" : $" peer {r.Peer}")}");
            }
        }
        if (r.Error == WireGuardError.ConnectionExpired && r.Peer is not null)
        {
            HandshakeGaveUp(State(r.Peer));
        }
    }
}
