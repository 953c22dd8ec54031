namespace SharpTun.WireGuard;

/// <summary>
/// A remote WireGuard peer as the protocol core sees it: its static key, its one endpoint (changed by
/// configuration and, roaming, by authenticated packets only), sessions (current/previous/next keypair), handshake,
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

    /// <summary>The device that made this peer: its <see cref="WireGuardDevice.EndpointChanged"/> hears of endpoint changes.</summary>
    internal WireGuardDevice? Owner;

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
    // The one endpoint: written under Sync (a new box only when a field differs), read whole and lock-free.
    private EndpointBox _endpoint = EndpointBox.None;
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

    /// <summary>
    /// The remote address of <see cref="Destination"/>. Setting it is configuration (<c>wg set … endpoint</c>):
    /// UDP, no local-address hint, reported to <see cref="WireGuardDevice.EndpointChanged"/> as "set".
    /// </summary>
    public NetEndpoint Endpoint
    {
        get => Destination.Remote;
        set => SetEndpoint(new DatagramEndpoint(value), EndpointCause.Set);
    }

    /// <summary>
    /// Where datagrams for this peer go — the peer's one endpoint: the remote, the local address and interface
    /// it last reached us on (replies leave from it) and the transport (UDP, or SharpTun's TCP fallback).
    /// Every authenticated packet from the peer makes its source this value (roaming); forged or
    /// unauthenticated packets never change it. Lock-free; a reader always sees one whole value.
    /// </summary>
    public DatagramEndpoint Destination => Volatile.Read(ref _endpoint).Value;

    /// <summary>
    /// Sets the endpoint (configuration, re-resolution, a transport switch). A change of remote or transport is
    /// reported to <see cref="WireGuardDevice.EndpointChanged"/> with <paramref name="cause"/>; without one the
    /// cause is "tcp"/"udp" when the transport changed, else "learned" (none before) or "roam".
    /// </summary>
    public void SetEndpoint(in DatagramEndpoint endpoint, string? cause = null)
    {
        lock (Sync)
        {
            SetEndpointLocked(endpoint, cause);
        }
        Changed?.Invoke(this); // an endpoint now set may let a queued handshake go
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
    internal ref readonly DatagramEndpoint DestinationLocked => ref _endpoint.Value;

    /// <summary>An authenticated packet came from <paramref name="source"/>: it becomes the endpoint; under <see cref="Sync"/>, allocation-free unless it differs.</summary>
    internal void RoamLocked(in DatagramEndpoint source) => SetEndpointLocked(source, null);

    /// <summary>The one writer of the endpoint; under <see cref="Sync"/>, so changes (and their reports) are in order.</summary>
    private void SetEndpointLocked(in DatagramEndpoint value, string? cause)
    {
        ref readonly var current = ref _endpoint.Value;
        if (current.Remote == value.Remote && current.Transport == value.Transport && current.Local == value.Local
            && current.InterfaceIndex == value.InterfaceIndex)
        {
            return;
        }
        var from = current;
        Volatile.Write(ref _endpoint, new EndpointBox(value));
        if (from.Remote != value.Remote || from.Transport != value.Transport)
        {
            // A new local hint alone is no change of endpoint (replies just leave from the new address).
            Owner?.EndpointChanged?.Invoke(this, from, value, cause
                ?? (from.Transport != value.Transport ? (value.Transport == DatagramTransport.Tcp ? EndpointCause.Tcp : EndpointCause.Udp)
                    : from.Remote.IsSet ? EndpointCause.Roam : EndpointCause.Learned));
        }
    }

    internal void SetLastHandshakeLocked(DateTimeOffset value) => _lastHandshake = value;

    /// <summary>An endpoint value that never changes once made (so readers never see half of an update).</summary>
    private sealed class EndpointBox(DatagramEndpoint value)
    {
        /// <summary>The endpoint of every peer that has none yet (most of 100,000 configured peers until they roam in).</summary>
        internal static readonly EndpointBox None = new(default);

        internal readonly DatagramEndpoint Value = value;
    }
}
