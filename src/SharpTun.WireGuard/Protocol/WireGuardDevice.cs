using System.Buffers.Binary;

namespace SharpTun.WireGuard;

/// <summary>
/// The WireGuard protocol for one interface, as pure code: no sockets, threads or timers. The caller
/// passes a packet and a buffer and gets back a <see cref="WireGuardResult"/> saying what to do:
/// <list type="bullet">
/// <item><see cref="Encapsulate(ReadOnlySpan{byte}, Span{byte})"/>: an IP packet from the tunnel → a datagram to send (or a handshake initiation while no session exists; the packet is queued).</item>
/// <item><see cref="Decapsulate"/>: a datagram from the network → an IP packet for the tunnel, a handshake reply to send, or an error.</item>
/// <item><see cref="UpdateTimers"/>: called periodically (e.g. every 100–250 ms) per peer → retries, rekeys, keepalives.</item>
/// <item><see cref="DequeuePending"/>: the packets queued while no session existed, encrypted; call it until Done whenever a result's peer has <see cref="WireGuardPeer.QueuedPackets"/> &gt; 0 and <see cref="WireGuardPeer.HasSession"/>.</item>
/// </list>
/// Time comes from the injected <see cref="TimeProvider"/>, randomness from <see cref="IRandomSource"/>.
/// Not thread-safe: the caller serializes calls. Data-packet paths allocate nothing.
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
    private readonly Dictionary<uint, IndexEntry> _indices = [];
    private readonly List<WireGuardPeer> _peers = [];
    private readonly Dictionary<KeyId, WireGuardPeer> _peersByKey = [];
    private readonly Noise.PeerLookup _lookupHandshake;

    /// <summary>Creates the protocol state for a private key (32 bytes, as from <c>wg genkey</c>).</summary>
    public WireGuardDevice(ReadOnlySpan<byte> privateKey, TimeProvider? time = null, IRandomSource? random = null)
    {
        if (privateKey.Length != WireGuardKeys.KeySize)
        {
            throw new ArgumentException($"a WireGuard private key is 32 bytes, got {privateKey.Length}", nameof(privateKey));
        }
        _time = time ?? TimeProvider.System;
        _random = random ?? SystemRandomSource.Instance;
        _origin = _time.GetTimestamp();
        _nowFunc = Now;
        _local = new LocalIdentity(privateKey);
        _cookieChecker = new CookieChecker(_local, _random, _nowFunc);
        _rateLimiter = new HandshakeRateLimiter(_time);
        AllowedIps = new AllowedIps<WireGuardPeer>();
        _lookupHandshake = key => FindPeer(key)?.Handshake;
    }

    /// <summary>Our public key.</summary>
    public ReadOnlyMemory<byte> PublicKey => _local.PublicKey;

    /// <summary>Cryptokey routing: which peer owns which prefixes (outgoing peer choice and incoming source check).</summary>
    public AllowedIps<WireGuardPeer> AllowedIps { get; }

    /// <summary>The peers, in the order added.</summary>
    public IReadOnlyList<WireGuardPeer> Peers => _peers;

    /// <summary>
    /// Set by the transport while it is overloaded (e.g. its handshake queue is long): handshake
    /// messages then need a valid mac2 (else a cookie reply is sent) and pass a per-IP rate limiter.
    /// </summary>
    public bool UnderLoad { get; set; }

    /// <summary>Most packets queued per peer while waiting for a handshake; older ones are dropped first.</summary>
    public int MaxQueuedPerPeer { get; set; } = 128;

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
        if (_peersByKey.ContainsKey(KeyId.From(publicKey)))
        {
            throw new ArgumentException($"peer {Convert.ToBase64String(publicKey)} already exists", nameof(publicKey));
        }
        var peer = new WireGuardPeer(_local, publicKey, presharedKey, _nowFunc);
        _peers.Add(peer);
        _peersByKey.Add(KeyId.From(publicKey), peer);
        return peer;
    }

    /// <summary>Removes a peer, its sessions, indices and allowed IPs.</summary>
    public void RemovePeer(WireGuardPeer peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (!_peers.Remove(peer))
        {
            return;
        }
        _peersByKey.Remove(KeyId.From(peer.PublicKey.Span));
        ClearSessions(peer);
        RemoveIndex(peer.Handshake.LocalIndex, peer);
        peer.Handshake.ZeroAll();
        AllowedIps.RemoveAll(peer);
    }

    /// <summary>Finds a peer by public key.</summary>
    public WireGuardPeer? FindPeer(ReadOnlySpan<byte> publicKey) =>
        publicKey.Length == WireGuardKeys.KeySize && _peersByKey.TryGetValue(KeyId.From(publicKey), out var p) ? p : null;

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var p in _peers.ToArray())
        {
            RemovePeer(p);
        }
        _local.Dispose();
    }

    /// <summary>Device clock: ticks (100 ns) since construction, from the injected <see cref="TimeProvider"/>.</summary>
    internal long Now() => _time.GetElapsedTime(_origin).Ticks;

    internal int IndexCount => _indices.Count;

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

    private void RemoveIndex(uint index, WireGuardPeer peer)
    {
        if (_indices.TryGetValue(index, out var e) && ReferenceEquals(e.Peer, peer) && e.Keypair is null)
        {
            _indices.Remove(index);
        }
    }

    private void DropKeypair(Keypair? keypair)
    {
        if (keypair is null)
        {
            return;
        }
        if (_indices.TryGetValue(keypair.LocalIndex, out var e) && ReferenceEquals(e.Keypair, keypair))
        {
            _indices.Remove(keypair.LocalIndex);
        }
        keypair.Dispose();
    }

    private void ClearSessions(WireGuardPeer peer)
    {
        DropKeypair(peer.Current);
        DropKeypair(peer.Previous);
        DropKeypair(peer.Next);
        peer.Current = peer.Previous = peer.Next = null;
    }

    private readonly record struct IndexEntry(WireGuardPeer Peer, Keypair? Keypair);

    /// <summary>A 32-byte public key as a dictionary key (no allocation per lookup).</summary>
    private readonly record struct KeyId(UInt128 High, UInt128 Low)
    {
        internal static KeyId From(ReadOnlySpan<byte> key) =>
            new(BinaryPrimitives.ReadUInt128LittleEndian(key), BinaryPrimitives.ReadUInt128LittleEndian(key[16..]));
    }
}
