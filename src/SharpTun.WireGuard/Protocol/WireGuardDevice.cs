using System.Buffers.Binary;
using System.Collections.Concurrent;

namespace SharpTun.WireGuard;

/// <summary>
/// The WireGuard protocol for one interface, as pure code: no sockets, threads or timers. The caller
/// passes a packet and a buffer and gets back a <see cref="WireGuardResult"/> saying what to do:
/// <list type="bullet">
/// <item><see cref="Encapsulate(ReadOnlySpan{byte}, Span{byte})"/>: an IP packet from the tunnel → a datagram to send (or a handshake initiation while no session exists; the packet is queued).</item>
/// <item><see cref="Decapsulate(in DatagramEndpoint, ReadOnlySpan{byte}, Span{byte})"/>: a datagram from the network → an IP packet for the tunnel, a handshake reply to send, or an error.</item>
/// <item><see cref="UpdateTimers"/>: called periodically (e.g. every 100–250 ms) per peer → retries, rekeys, keepalives.</item>
/// <item><see cref="DequeuePending"/>: the packets queued while no session existed, encrypted; call it until Done whenever a result's peer has <see cref="WireGuardPeer.QueuedPackets"/> &gt; 0 and <see cref="WireGuardPeer.HasSession"/>.</item>
/// </list>
/// Time comes from the injected <see cref="TimeProvider"/>, randomness from <see cref="IRandomSource"/>.
/// Data-packet paths allocate nothing.
/// <para><b>Thread safety.</b> Every public member may be called from any number of threads at once
/// (as wireguard-go and boringtun allow): encrypt and decrypt on several cores, timers on another,
/// peers added, removed and configured (UAPI set) while traffic flows. How:</para>
/// <list type="bullet">
/// <item>Per peer, one small lock (<c>WireGuardPeer.Sync</c>) guards the cheap state: keypair choice and
/// rotation, send-counter reservation, endpoint (roaming), timer fields, the handshake queue. Handshake
/// messages of one peer are processed under it too (rare).</item>
/// <item>Per keypair, a lock guards the replay window (checked after the tag verified).</item>
/// <item>ChaCha20-Poly1305 seal/open of data messages runs outside every lock; a keypair retired
/// meanwhile waits for those calls to finish before its keys are zeroed.</item>
/// <item>The receiver-index table and the key → peer map are concurrent dictionaries (lock-free reads);
/// the peer list is copy-on-write; <see cref="AllowedIps"/> is a reader-writer-locked trie. Adding or
/// removing peers takes one device-wide configuration lock (never held on the data path).</item>
/// </list>
/// <para>Order: datagrams for one peer carry counters in the order their reservations were made; when
/// two threads encrypt for the same peer at once, the caller keeps per-peer order if it needs it (the
/// receiver's replay window, 8128 messages wide, accepts reordering). A peer removed while a call for
/// it runs makes that call return <see cref="WireGuardError.PeerRemoved"/> or its last result.</para>
/// <para>Drops are counted per peer (<see cref="WireGuardPeer.Drops"/>) and, when no peer is known, per
/// device (<see cref="Drops"/>), with Interlocked.</para>
/// </summary>
public sealed partial class WireGuardDevice : IDisposable
{
    private readonly LocalIdentity _local;
    private readonly TimeProvider _time;
    private readonly IRandomSource _random;
    private readonly long _origin;
    private readonly Func<long> _nowFunc;
    private readonly CookieChecker _cookieChecker;
    private readonly HandshakeRateLimiter _rateLimiter;
    private readonly HandshakeRateLimiter _cookieLimiter;
    private readonly ConcurrentDictionary<uint, IndexEntry> _indices = new();
    private readonly ConcurrentDictionary<KeyId, WireGuardPeer> _peersByKey = new();
    private readonly Lock _configLock = new();
    private readonly Noise.PeerLookup _lookupHandshake;
    private readonly Action<WireGuardPeer> _touch;
    private readonly long[] _drops = new long[WireGuardErrors.Count];
    // The directory: insertion order in a linked list (O(1) add and remove, the node kept on the peer) and a
    // snapshot array for readers, rebuilt lazily on the first read after a change (so adding n peers costs O(n),
    // not O(n²) copies). Both change under _configLock.
    private readonly LinkedList<WireGuardPeer> _order = new();
    private volatile WireGuardPeer[]? _peers = [];
    private volatile bool _underLoad;
    private volatile int _maxQueuedPerPeer = 128;

    /// <summary>
    /// Creates the protocol state for a private key (32 bytes, as from <c>wg genkey</c>). All zeros means
    /// no key (an interface <c>wireguard-go IFNAME</c> just made): peers and allowed IPs can be configured,
    /// but no handshake is sent or answered (<see cref="WireGuardError.NoPrivateKey"/>).
    /// </summary>
    public WireGuardDevice(ReadOnlySpan<byte> privateKey, TimeProvider? time = null, IRandomSource? random = null)
    {
        if (privateKey.Length != WireGuardKeys.KeySize)
        {
            throw new ArgumentException($"a WireGuard private key is 32 bytes, got {privateKey.Length}", nameof(privateKey));
        }
        _time = time ?? TimeProvider.System;
        _random = random is null or SystemRandomSource ? SystemRandomSource.Instance : new LockedRandom(random);
        _origin = _time.GetTimestamp();
        _nowFunc = Now;
        _local = new LocalIdentity(privateKey);
        HasPrivateKey = privateKey.ContainsAnyExcept((byte)0);
        _cookieChecker = new CookieChecker(_local, _random, _nowFunc);
        _rateLimiter = new HandshakeRateLimiter(_time);
        _cookieLimiter = new HandshakeRateLimiter(_time, CookieSourcesTracked);
        AllowedIps = new AllowedIps<WireGuardPeer>();
        _lookupHandshake = key => FindPeer(key)?.Handshake;
        _touch = Touch;
    }

    /// <summary>Our public key (meaningless while <see cref="HasPrivateKey"/> is false).</summary>
    public ReadOnlyMemory<byte> PublicKey => _local.PublicKey;

    /// <summary>False when the device was made with an all-zero private key: handshakes are refused both ways.</summary>
    public bool HasPrivateKey { get; }

    /// <summary>Cryptokey routing: which peer owns which prefixes (outgoing peer choice and incoming source check). Thread-safe.</summary>
    public AllowedIps<WireGuardPeer> AllowedIps { get; }

    /// <summary>The peers, in the order added: a snapshot (adding or removing a peer publishes a new list).</summary>
    public IReadOnlyList<WireGuardPeer> Peers => _peers ?? Snapshot();

    /// <summary>How many peers there are (no snapshot).</summary>
    public int PeerCount
    {
        get
        {
            lock (_configLock)
            {
                return _order.Count;
            }
        }
    }

    private WireGuardPeer[] Snapshot()
    {
        lock (_configLock)
        {
            var peers = _peers;
            if (peers is null)
            {
                peers = new WireGuardPeer[_order.Count];
                _order.CopyTo(peers, 0);
                _peers = peers;
            }
            return peers;
        }
    }

    /// <summary>
    /// Set by the transport while it is overloaded (e.g. its handshake queue is long): handshake
    /// messages then need a valid mac2 (else a cookie reply is sent) and pass a per-IP rate limiter.
    /// </summary>
    public bool UnderLoad
    {
        get => _underLoad;
        set => _underLoad = value;
    }

    /// <summary>Most packets queued per peer while waiting for a handshake; older ones are dropped first (counted as <see cref="WireGuardError.QueueFull"/>).</summary>
    public int MaxQueuedPerPeer
    {
        get => _maxQueuedPerPeer;
        set => _maxQueuedPerPeer = value;
    }

    /// <summary>
    /// Told of every change of a peer's endpoint (remote or transport), in order, under the peer's lock: where a
    /// host records the history of roams. Null = nobody listens. Set it before traffic flows.
    /// </summary>
    public EndpointChangedHandler? EndpointChanged { get; set; }

    /// <summary>Inputs dropped for <paramref name="reason"/> that concern no known peer (unknown index or key, malformed, no route…).</summary>
    public long Drops(WireGuardError reason) => (uint)reason < (uint)_drops.Length ? Volatile.Read(ref _drops[(int)reason]) : 0;

    /// <summary>Adds a peer by public key, with an optional preshared key (32 bytes or empty).</summary>
    public WireGuardPeer AddPeer(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> presharedKey = default)
    {
        if (publicKey.Length != WireGuardKeys.KeySize)
        {
            throw new ArgumentException($"a WireGuard public key is 32 bytes, got {publicKey.Length}", nameof(publicKey));
        }
        if (!presharedKey.IsEmpty && presharedKey.Length != WireGuardKeys.KeySize)
        {
            throw new ArgumentException($"a preshared key is 32 bytes, got {presharedKey.Length}", nameof(presharedKey));
        }
        lock (_configLock)
        {
            if (_peersByKey.ContainsKey(KeyId.From(publicKey)))
            {
                throw new ArgumentException($"peer {Convert.ToBase64String(publicKey)} already exists", nameof(publicKey));
            }
            var peer = new WireGuardPeer(_local, publicKey, presharedKey, _nowFunc);
            _peersByKey[KeyId.From(publicKey)] = peer;
            peer.Changed = _touch;
            peer.Owner = this;
            peer.DirectoryNode = _order.AddLast(peer);
            _peers = null;
            TouchChanged(peer);
            return peer;
        }
    }

    /// <summary>
    /// Replaces a peer's preshared key (32 bytes, or empty for none). Its sessions stay: the key is mixed into the
    /// next handshake's response (Noise IKpsk2), as wireguard-go and the kernel apply a new key. A handshake in
    /// flight that the other side answers with the other key fails and is retried (REKEY_TIMEOUT later).
    /// </summary>
    public void SetPresharedKey(WireGuardPeer peer, ReadOnlySpan<byte> presharedKey)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (!presharedKey.IsEmpty && presharedKey.Length != WireGuardKeys.KeySize)
        {
            throw new ArgumentException($"a preshared key is 32 bytes, got {presharedKey.Length}", nameof(presharedKey));
        }
        lock (peer.Sync)
        {
            if (presharedKey.IsEmpty)
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(peer.Handshake.PresharedKey);
            }
            else
            {
                presharedKey.CopyTo(peer.Handshake.PresharedKey);
            }
        }
    }

    /// <summary>Removes a peer, its sessions, indices and allowed IPs. Calls for it in flight on other threads end with <see cref="WireGuardError.PeerRemoved"/>.</summary>
    public void RemovePeer(WireGuardPeer peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        lock (_configLock)
        {
            if (peer.DirectoryNode is not { } node || node.List != _order)
            {
                return;
            }
            _order.Remove(node);
            peer.DirectoryNode = null;
            _peers = null;
            _peersByKey.TryRemove(KeyId.From(peer.PublicKey.Span), out _);
            AllowedIps.RemoveAll(peer);
            lock (peer.Sync)
            {
                peer.Removed = true;
                ClearSessions(peer);
                RemoveIndex(peer.Handshake.LocalIndex, peer);
                peer.Handshake.ZeroAll();
                peer.ClearQueued();
            }
            TouchChanged(peer); // observers forget it
        }
    }

    /// <summary>Finds a peer by public key.</summary>
    public WireGuardPeer? FindPeer(ReadOnlySpan<byte> publicKey) =>
        publicKey.Length == WireGuardKeys.KeySize && _peersByKey.TryGetValue(KeyId.From(publicKey), out var p) ? p : null;

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var p in Snapshot())
        {
            RemovePeer(p);
        }
        _local.Dispose();
    }

    /// <summary>Device clock: ticks (100 ns) since construction, from the injected <see cref="TimeProvider"/>.</summary>
    internal long Now() => _time.GetElapsedTime(_origin).Ticks;

    internal int IndexCount => _indices.Count;

    /// <summary>
    /// Counts a failed result on its peer, or on the device when it has none; returns it.
    /// ConnectionExpired is counted where it happens, once per queued packet it drops; NoPrivateKey never.
    /// </summary>
    private WireGuardResult Counted(WireGuardResult r, bool touch = true)
    {
        if (touch && r.Peer is { } touched)
        {
            // Something happened to this peer: its timers and visible state need a look (once per take).
            Touch(touched);
        }
        // No private key is a state, not a dropped input (the timers would count it ten times a second).
        if (r.Action == WireGuardAction.Error && r.Error is not (WireGuardError.ConnectionExpired or WireGuardError.NoPrivateKey))
        {
            if (r.Peer is { } p)
            {
                p.CountDrop(r.Error);
            }
            else
            {
                Interlocked.Increment(ref _drops[(int)r.Error]);
            }
        }
        return r;
    }

    /// <summary>A fresh random index registered for the peer (and keypair); under the peer's lock.</summary>
    private uint NewIndex(WireGuardPeer peer, Keypair? keypair)
    {
        Span<byte> b = stackalloc byte[4];
        while (true)
        {
            _random.Fill(b);
            var index = BinaryPrimitives.ReadUInt32LittleEndian(b);
            if (_indices.TryAdd(index, new IndexEntry(peer, keypair)))
            {
                return index;
            }
        }
    }

    /// <summary>Removes the handshake index of a peer (only if it still names that peer's handshake).</summary>
    private void RemoveIndex(uint index, WireGuardPeer peer)
    {
        if (_indices.TryGetValue(index, out var e) && ReferenceEquals(e.Peer, peer) && e.Keypair is null)
        {
            _indices.TryRemove(new KeyValuePair<uint, IndexEntry>(index, e));
        }
    }

    /// <summary>Unregisters and disposes a keypair (waits for seals/opens in flight); under the peer's lock.</summary>
    private void DropKeypair(Keypair? keypair)
    {
        if (keypair is null)
        {
            return;
        }
        if (_indices.TryGetValue(keypair.LocalIndex, out var e) && ReferenceEquals(e.Keypair, keypair))
        {
            _indices.TryRemove(new KeyValuePair<uint, IndexEntry>(keypair.LocalIndex, e));
        }
        keypair.Dispose();
    }

    private void ClearSessions(WireGuardPeer peer)
    {
        DropKeypair(peer.Current);
        DropKeypair(peer.Previous);
        DropKeypair(peer.Next);
        Volatile.Write(ref peer.Current, null);
        peer.Previous = peer.Next = null;
    }

    private readonly record struct IndexEntry(WireGuardPeer Peer, Keypair? Keypair);

    /// <summary>A 32-byte public key as a dictionary key (no allocation per lookup).</summary>
    private readonly record struct KeyId(UInt128 High, UInt128 Low)
    {
        internal static KeyId From(ReadOnlySpan<byte> key) =>
            new(BinaryPrimitives.ReadUInt128LittleEndian(key), BinaryPrimitives.ReadUInt128LittleEndian(key[16..]));
    }
}
