using SharpTun.Packets.Offload;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// One running WireGuard interface: the protocol core between a tun device queue and a UDP bind.
/// The threads: tun → encrypt → UDP (sent grouped per endpoint), UDP → decrypt → tun (handshake
/// messages: mac1 checked, queued for the next), the handshake workers (<see cref="HandshakeStage"/>:
/// Diffie-Hellman, cookies, responses; one per core, at most 4), and the peer timers: a round every 100 ms
/// that looks only at the peers something happened to and those whose deadline came (retries, rekeys,
/// keepalives, and the packets queued during a handshake; see <see cref="Tick"/>), so idle peers cost
/// nothing. Buffers are allocated once with 16 bytes of headroom in front
/// of each tun packet, so encryption and decryption happen in place; nothing is allocated per packet.
/// <para>Concurrency: the protocol core is thread-safe, so the two pumps run their batches at the
/// same time (each direction's crypto on its own core) without the interface lock. Configuration
/// (UAPI, <see cref="Configure{T}"/>) and the timers take the interface lock among themselves; the
/// few changes a pump must not see half-done (a new private key, a peer removed or re-created, a
/// socket disposed) also wait, through <see cref="PumpGate"/>, until no pump is inside a batch.</para>
/// <para>With a tun device opened with offloads (<see cref="IPacketQueue.Offloads"/>) the tun pump
/// splits TSO/USO super-packets and the net pump coalesces decrypted TCP segments (and UDP
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
    private readonly HostLog _log;
    private readonly TimeProvider _time;
    private readonly ManualResetEventSlim _stopSignal = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WireGuardDevice _device;
    private byte[] _privateKey;
    private IDatagramBind _bind;
    private Thread? _tunThread;
    private Thread? _netThread;
    private Thread? _timerThread;
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
        _bindFactory = bindFactory;
        _log = log ?? HostLog.None;
        _bind = bindFactory(listenPort, fwmark);
        ListenPort = listenPort;
        FwMark = fwmark;
        _offloadStats = new OffloadStatistics(tun.VnetHeaderSize > 0 ? tun.Offloads : PacketOffloads.None, _offloadErrors);
        _offloadStats.UseUdp(() => Volatile.Read(ref _bind).OffloadStatistics);
        _tunPump = new TunPump(this);
        _netPump = new NetPump(this);
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

    /// <summary>Starts the pump and timer threads.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_tunThread is not null)
            {
                throw new InvalidOperationException($"interface '{Name}' is already started");
            }
            _tunThread = StartThread(_tunPump.Run, "tun");
            _netThread = StartThread(() => _netPump.Run(_bind), "udp");
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
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(_privateKey);
        }
        _tun.Dispose();
        _stopSignal.Dispose();
    }

    /// <summary>For tests driving the pumps on their own thread: one tun batch (false after shutdown).</summary>
    internal bool PumpTunOnce() => _tunPump.RunOnce();

    /// <summary>For tests: one UDP batch on the current socket (false after shutdown).</summary>
    internal bool PumpNetOnce() => _netPump.RunOnce(_bind);

    private void Join()
    {
        Thread?[] threads;
        lock (_gate)
        {
            threads = [_tunThread, _netThread, _timerThread, .. _handshakeThreads, .. _oldNetThreads];
        }
        foreach (var t in threads)
        {
            if (t is not null && t != Thread.CurrentThread)
            {
                t.Join();
            }
        }
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
        catch (Exception e) when (Volatile.Read(ref _stopping) == 0)
        {
            _fault ??= e;
            _log.Error(Name, $"{role} thread failed: {e.Message}; stopping");
            ThreadPool.UnsafeQueueUserWorkItem(_ => Stop(), null);
        }
        catch (Exception) when (Volatile.Read(ref _stopping) != 0)
        {
            // Shutting down: a device or socket closed under a blocked call is expected.
        }
    }

    private PeerState State(WireGuardPeer peer) =>
        _states.TryGetValue(peer, out var s)
            ? s
            // A peer added to the core directly (not through the host): track it from now on.
            : _states.GetOrAdd(peer, static p => new PeerState(p));

    /// <summary>Counts a dropped input under the lock's caller (any thread; counters are atomic).</summary>
    private void Count(DropReason reason, PeerState? state, long count = 1)
    {
        Drops.Add(reason, count);
        if (state is not null)
        {
            state.CountDrop(reason, count);
            _device.NoteChanged(state.Peer); // the watcher reports grown drops
        }
    }

    private void CountError(in WireGuardResult r)
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
