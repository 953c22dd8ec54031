namespace SharpTun.WireGuard;

/// <summary>
/// A remote WireGuard peer as the protocol core sees it: its static key, current endpoint (changed
/// only by authenticated packets — roaming), sessions (current/previous/next keypair), handshake,
/// timer state, byte counters and drop counters. Created by <see cref="WireGuardDevice.AddPeer"/>.
/// <para>Thread safety: every public member may be used from any thread. The session, handshake and
/// timer state below is guarded by <see cref="Sync"/> (the per-peer lock of the thread-safety contract
/// on <see cref="WireGuardDevice"/>); counters are Interlocked.</para>
/// </summary>
public sealed partial class WireGuardPeer
{
    /// <summary>The per-peer lock: keypair slots, handshake, timer fields, queue, endpoint.</summary>
    internal readonly object Sync = new();
    internal readonly Handshake Handshake;
    internal readonly CookieGenerator Cookies;
    // Packets waiting for a handshake; made by the first one (most of 100,000 configured peers never queue any). Under Sync.
    private Queue<byte[]>? _queued;
    internal Keypair? Current;
    internal Keypair? Previous;
    internal Keypair? Next;
    internal volatile bool Removed;

    /// <summary>This peer's place in its device's directory (insertion order); null once removed.</summary>
    internal LinkedListNode<WireGuardPeer>? DirectoryNode;

    /// <summary>1 while the peer sits in its device's timer-work queue (see WireGuardDevice.Schedule).</summary>
    internal int TimerWorkQueued;

    /// <summary>1 while the peer sits in its device's changed queue.</summary>
    internal int ChangeQueued;

    /// <summary>Set by the device: told when configuration (endpoint, persistent keepalive) changes.</summary>
    internal Action<WireGuardPeer>? Changed;

    /// <summary>
    /// A caller is emptying <see cref="Queued"/> through DequeuePending (set on each dequeue, cleared when
    /// it finds the queue empty): until then new packets join the queue, so none overtakes a queued one.
    /// Under Sync.
    /// </summary>
    internal bool Draining;

    // Timer state, all in device clock ticks (long.MinValue = never / not armed); under Sync.
    internal long LastSent = long.MinValue;
    internal long LastReceived = long.MinValue;
    internal long LastInitiationSent = long.MinValue;
    internal long AttemptStarted = long.MinValue;
    internal long RetryAt = long.MinValue;
    internal long DataSentUnanswered = long.MinValue;
    internal long DataReceivedUnacked = long.MinValue;
    internal long LastHandshakeTicks = long.MinValue;
    internal bool WantHandshake;
    internal bool RekeyRequestedOnReceive;

    // Made by the first drop (most of 100,000 configured peers never drop anything); then never replaced.
    private long[]? _drops;
    private NetEndpoint _endpoint;
    private DateTimeOffset? _lastHandshake;
    private long _transmitBytes;
    private long _receiveBytes;
    private long _persistentKeepaliveTicks;

    internal WireGuardPeer(LocalIdentity local, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> presharedKey, Func<long> now)
    {
        Handshake = new Handshake(local, publicKey, presharedKey);
        PublicKey = Handshake.RemoteStatic; // one copy of the key per peer; nothing writes it after construction
        Cookies = new CookieGenerator(Handshake.RemoteStatic, now);
    }

    /// <summary>Packets waiting for a handshake (made on first use; read <see cref="QueuedCount"/> to look). Under Sync.</summary>
    internal Queue<byte[]> Queued => _queued ??= new Queue<byte[]>();

    /// <summary>How many packets wait for a handshake. Under Sync.</summary>
    internal int QueuedCount => _queued?.Count ?? 0;

    /// <summary>Drops the packets waiting for a handshake. Under Sync.</summary>
    internal void ClearQueued() => _queued?.Clear();

    /// <summary>The peer's static public key (32 bytes).</summary>
    public ReadOnlyMemory<byte> PublicKey { get; }

    /// <summary>Where datagrams for this peer go; updated on every authenticated packet from it.</summary>
    public NetEndpoint Endpoint
    {
        get
        {
            lock (Sync)
            {
                return _endpoint;
            }
        }
        set
        {
            lock (Sync)
            {
                _endpoint = value;
            }
            Changed?.Invoke(this);
        }
    }

    /// <summary>Send a keepalive when nothing was sent for this long (zero = off), like wg's persistent-keepalive.</summary>
    public TimeSpan PersistentKeepalive
    {
        get => TimeSpan.FromTicks(Volatile.Read(ref _persistentKeepaliveTicks));
        set
        {
            Volatile.Write(ref _persistentKeepaliveTicks, value.Ticks);
            Changed?.Invoke(this); // a keepalive now armed needs the timers
        }
    }

    /// <summary>Wall-clock time of the last completed handshake, if any.</summary>
    public DateTimeOffset? LastHandshake
    {
        get
        {
            lock (Sync)
            {
                return _lastHandshake;
            }
        }
        internal set
        {
            lock (Sync)
            {
                _lastHandshake = value;
            }
        }
    }

    /// <summary>Bytes of UDP payload sent to this peer.</summary>
    public long TransmitBytes => Volatile.Read(ref _transmitBytes);

    /// <summary>Bytes of authenticated UDP payload received from this peer.</summary>
    public long ReceiveBytes => Volatile.Read(ref _receiveBytes);

    /// <summary>True while a session usable for sending exists.</summary>
    public bool HasSession => Volatile.Read(ref Current) is not null;

    /// <summary>Packets waiting for a handshake to finish.</summary>
    public int QueuedPackets
    {
        get
        {
            lock (Sync)
            {
                return QueuedCount;
            }
        }
    }

    /// <summary>
    /// How many inputs concerning this peer were dropped for <paramref name="reason"/> (exact, Interlocked;
    /// <see cref="WireGuardError.QueueFull"/> counts packets pushed out of the handshake queue).
    /// </summary>
    public long Drops(WireGuardError reason) => Volatile.Read(ref _drops) is { } drops && (uint)reason < (uint)drops.Length ? Volatile.Read(ref drops[(int)reason]) : 0;

    /// <summary>Every drop of this peer, over all reasons.</summary>
    public long TotalDrops
    {
        get
        {
            long sum = 0;
            var drops = Volatile.Read(ref _drops) ?? [];
            for (var i = 1; i < drops.Length; i++)
            {
                sum += Volatile.Read(ref drops[i]);
            }
            return sum;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Convert.ToBase64String(PublicKey.Span);

    internal void CountDrop(WireGuardError reason, long count = 1)
    {
        var drops = Volatile.Read(ref _drops);
        if (drops is null)
        {
            Interlocked.CompareExchange(ref _drops, new long[WireGuardErrors.Count], null);
            drops = _drops!;
        }
        Interlocked.Add(ref drops[(int)reason], count);
    }

    internal void AddTransmitted(long bytes) => Interlocked.Add(ref _transmitBytes, bytes);

    internal void AddReceived(long bytes) => Interlocked.Add(ref _receiveBytes, bytes);

    /// <summary>The endpoint, for callers already holding <see cref="Sync"/>.</summary>
    internal ref NetEndpoint EndpointLocked => ref _endpoint;

    internal void SetLastHandshakeLocked(DateTimeOffset value) => _lastHandshake = value;
}
