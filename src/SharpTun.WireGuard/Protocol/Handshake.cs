using System.Security.Cryptography;
using SharpTun.Crypto;

namespace SharpTun.WireGuard;

/// <summary>Where a peer's handshake stands (wireguard-go's handshakeState).</summary>
internal enum HandshakeState
{
    Zeroed,
    InitiationCreated,
    InitiationConsumed,
    ResponseCreated,
    ResponseConsumed,
}

/// <summary>
/// One peer's Noise IKpsk2 state: the static values fixed for the peer (its public key, the
/// precomputed DH(S_local, S_peer), the preshared key) and the per-handshake transcript (h, ck,
/// ephemeral keys, indices), plus the replay state for initiations (last TAI64N, last time).
/// Memory (issue 20, 100,000 mostly idle peers): the transcript buffers, the peer's initial hash and the
/// timestamp are allocated on the first handshake, not when the peer is added; all of them are used under
/// the peer's lock only.
/// </summary>
internal sealed class Handshake
{
    internal readonly byte[] RemoteStatic = new byte[32];
    internal readonly byte[] PrecomputedStaticStatic = new byte[32];
    internal readonly byte[] PresharedKey = new byte[32];
    private readonly LocalIdentity _local;
    private byte[]? _remoteInitialHash;
    private byte[]? _hash;
    private byte[]? _chainingKey;
    private byte[]? _localEphemeral;
    private byte[]? _remoteEphemeral;
    private byte[]? _latestTimestamp;

    /// <summary>HASH(HASH(CONSTRUCTION ‖ IDENTIFIER) ‖ S_peer), the first transcript hash of an initiation to this peer; computed on first use.</summary>
    internal byte[] RemoteInitialHash
    {
        get
        {
            if (_remoteInitialHash is null)
            {
                var hash = new byte[32];
                Span<byte> unused = stackalloc byte[32];
                LocalIdentity.DeriveForPublicKey(RemoteStatic, hash, unused, unused);
                _remoteInitialHash = hash;
            }
            return _remoteInitialHash;
        }
    }
    // DH(S_local, S_peer), computed on the first handshake that needs it (not when the peer is added: adding
    // 100,000 peers would cost an X25519 each). 0 = not yet, 1 = valid, -1 = invalid (a low-order key), -2 = zeroed.
    private int _staticStatic;

    /// <summary>Whether DH(S_local, S_peer) is usable (computes it on first use); false for a low-order key.</summary>
    internal bool StaticStaticValid
    {
        get
        {
            var s = Volatile.Read(ref _staticStatic);
            if (s != 0)
            {
                return s == 1;
            }
            lock (PrecomputedStaticStatic)
            {
                if (_staticStatic == 0)
                {
                    Volatile.Write(ref _staticStatic, _local.StaticKey.TrySharedSecret(RemoteStatic, PrecomputedStaticStatic) ? 1 : -1);
                }
                return _staticStatic == 1;
            }
        }
    }

    internal HandshakeState State;
    internal byte[] Hash => _hash ??= new byte[32];
    internal byte[] ChainingKey => _chainingKey ??= new byte[32];
    internal byte[] LocalEphemeral => _localEphemeral ??= new byte[32];
    internal byte[] RemoteEphemeral => _remoteEphemeral ??= new byte[32];
    internal uint LocalIndex;
    internal uint RemoteIndex;

    /// <summary>The greatest TAI64N of an accepted initiation (all zero before the first).</summary>
    internal byte[] LatestTimestamp => _latestTimestamp ??= new byte[Tai64N.Size];
    internal long LastInitiationConsumed = long.MinValue;

    internal Handshake(LocalIdentity local, ReadOnlySpan<byte> remoteStatic, ReadOnlySpan<byte> presharedKey)
    {
        remoteStatic.CopyTo(RemoteStatic);
        if (!presharedKey.IsEmpty)
        {
            presharedKey.CopyTo(PresharedKey);
        }
        _local = local;
    }

    /// <summary>Forgets the transcript and ephemeral keys (not the timestamp replay state).</summary>
    internal void Clear()
    {
        CryptographicOperations.ZeroMemory(_hash);
        CryptographicOperations.ZeroMemory(_chainingKey);
        CryptographicOperations.ZeroMemory(_localEphemeral);
        CryptographicOperations.ZeroMemory(_remoteEphemeral);
        LocalIndex = 0;
        RemoteIndex = 0;
        State = HandshakeState.Zeroed;
    }

    internal void ZeroAll()
    {
        Clear();
        lock (PrecomputedStaticStatic)
        {
            _staticStatic = -2;
            CryptographicOperations.ZeroMemory(PrecomputedStaticStatic);
        }
        CryptographicOperations.ZeroMemory(PresharedKey);
    }
}
