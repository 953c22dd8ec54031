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
/// </summary>
internal sealed class Handshake
{
    internal readonly byte[] RemoteStatic = new byte[32];
    internal readonly byte[] PrecomputedStaticStatic = new byte[32];
    internal readonly byte[] PresharedKey = new byte[32];
    internal readonly byte[] RemoteInitialHash = new byte[32];
    private readonly LocalIdentity _local;
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
                    Volatile.Write(ref _staticStatic, X25519.TrySharedSecret(_local.PrivateKey, RemoteStatic, PrecomputedStaticStatic) ? 1 : -1);
                }
                return _staticStatic == 1;
            }
        }
    }

    internal HandshakeState State;
    internal readonly byte[] Hash = new byte[32];
    internal readonly byte[] ChainingKey = new byte[32];
    internal readonly byte[] LocalEphemeral = new byte[32];
    internal readonly byte[] RemoteEphemeral = new byte[32];
    internal uint LocalIndex;
    internal uint RemoteIndex;

    internal readonly byte[] LatestTimestamp = new byte[Tai64N.Size];
    internal long LastInitiationConsumed = long.MinValue;

    internal Handshake(LocalIdentity local, ReadOnlySpan<byte> remoteStatic, ReadOnlySpan<byte> presharedKey)
    {
        remoteStatic.CopyTo(RemoteStatic);
        if (!presharedKey.IsEmpty)
        {
            presharedKey.CopyTo(PresharedKey);
        }
        Span<byte> unused = stackalloc byte[32];
        LocalIdentity.DeriveForPublicKey(RemoteStatic, RemoteInitialHash, unused, unused);
        _local = local;
    }

    /// <summary>Forgets the transcript and ephemeral keys (not the timestamp replay state).</summary>
    internal void Clear()
    {
        CryptographicOperations.ZeroMemory(Hash);
        CryptographicOperations.ZeroMemory(ChainingKey);
        CryptographicOperations.ZeroMemory(LocalEphemeral);
        CryptographicOperations.ZeroMemory(RemoteEphemeral);
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
