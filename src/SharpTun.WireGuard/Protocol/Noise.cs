using System.Buffers.Binary;
using System.Security.Cryptography;
using SharpTun.Crypto;
using static SharpTun.WireGuard.MessageLayout;

namespace SharpTun.WireGuard;

/// <summary>
/// The message cryptography of Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s as WireGuard specifies it
/// (paper §5.4.2–5.4.4). Pure functions over the peer's <see cref="Handshake"/>; MACs are added and
/// checked elsewhere. Intermediate secrets live in stack buffers and are zeroed before returning.
/// </summary>
internal static class Noise
{
    /// <summary>Finds the handshake state of the peer with a static public key, or null.</summary>
    internal delegate Handshake? PeerLookup(ReadOnlySpan<byte> publicKey);

    /// <summary>Fills bytes 0..116 of an initiation and moves the handshake to InitiationCreated.</summary>
    internal static bool CreateInitiation(LocalIdentity local, Handshake hs, uint localIndex, DateTimeOffset now, IRandomSource random,
        Span<byte> msg)
    {
        if (!hs.StaticStaticValid)
        {
            return false;
        }
        Span<byte> key = stackalloc byte[32];
        Span<byte> dh = stackalloc byte[32];
        Span<byte> ephemeralPublic = stackalloc byte[32];
        Span<byte> timestamp = stackalloc byte[Tai64N.Size];
        try
        {
            hs.Clear();
            LocalIdentity.InitialChainingKey.CopyTo(hs.ChainingKey, 0);
            hs.RemoteInitialHash.CopyTo(hs.Hash, 0);

            random.Fill(hs.LocalEphemeral);
            X25519.Clamp(hs.LocalEphemeral);
            using var ephemeralKey = new X25519PrivateKey(hs.LocalEphemeral); // imported once: its public half and the agreement
            ephemeralKey.GetPublicKey(ephemeralPublic);

            msg[..InitEphemeral].Clear();
            msg[0] = (byte)TypeInitiation;
            BinaryPrimitives.WriteUInt32LittleEndian(msg[InitSender..], localIndex);
            ephemeralPublic.CopyTo(msg[InitEphemeral..]);
            MixKey(hs.ChainingKey, ephemeralPublic);
            MixHash(hs.Hash, ephemeralPublic);

            if (!ephemeralKey.TrySharedSecret(hs.RemoteStatic, dh))
            {
                return false;
            }
            MixKey2(hs.ChainingKey, dh, key);
            ChaChaPoly.Seal(key, 0, local.PublicKey, hs.Hash, msg.Slice(InitStatic, InitStaticLength));
            MixHash(hs.Hash, msg.Slice(InitStatic, InitStaticLength));

            MixKey2(hs.ChainingKey, hs.PrecomputedStaticStatic, key);
            Tai64N.Write(now, timestamp);
            ChaChaPoly.Seal(key, 0, timestamp, hs.Hash, msg.Slice(InitTimestamp, InitTimestampLength));
            MixHash(hs.Hash, msg.Slice(InitTimestamp, InitTimestampLength));

            hs.LocalIndex = localIndex;
            hs.State = HandshakeState.InitiationCreated;
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(dh);
        }
    }

    /// <summary>
    /// Decrypts an initiation's static key and timestamp without touching any peer state. On success
    /// returns the initiator's static key, the timestamp, and the transcript to adopt.
    /// </summary>
    internal static bool OpenInitiation(LocalIdentity local, ReadOnlySpan<byte> msg, Span<byte> remoteStatic, Span<byte> hash,
        Span<byte> chainingKey, PeerLookup findPeer, out Handshake? peer, Span<byte> timestamp)
    {
        peer = null;
        Span<byte> key = stackalloc byte[32];
        Span<byte> dh = stackalloc byte[32];
        try
        {
            var ephemeral = msg.Slice(InitEphemeral, 32);
            LocalIdentity.InitialChainingKey.CopyTo(chainingKey);
            local.InitialHash.CopyTo(hash);
            MixKey(chainingKey, ephemeral);
            MixHash(hash, ephemeral);
            if (!local.StaticKey.TrySharedSecret(ephemeral, dh))
            {
                return false;
            }
            MixKey2(chainingKey, dh, key);
            if (!ChaChaPoly.TryOpen(key, 0, msg.Slice(InitStatic, InitStaticLength), hash, remoteStatic))
            {
                return false;
            }
            MixHash(hash, msg.Slice(InitStatic, InitStaticLength));
            peer = findPeer(remoteStatic);
            if (peer is null || !peer.StaticStaticValid)
            {
                return false;
            }
            MixKey2(chainingKey, peer.PrecomputedStaticStatic, key);
            if (!ChaChaPoly.TryOpen(key, 0, msg.Slice(InitTimestamp, InitTimestampLength), hash, timestamp))
            {
                return false;
            }
            MixHash(hash, msg.Slice(InitTimestamp, InitTimestampLength));
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(dh);
        }
    }

    /// <summary>Fills bytes 0..60 of a response (handshake must be InitiationConsumed) and moves it to ResponseCreated.</summary>
    internal static bool CreateResponse(Handshake hs, uint localIndex, IRandomSource random, Span<byte> msg)
    {
        Span<byte> key = stackalloc byte[32];
        Span<byte> dh = stackalloc byte[32];
        Span<byte> tau = stackalloc byte[32];
        Span<byte> ephemeralPublic = stackalloc byte[32];
        try
        {
            random.Fill(hs.LocalEphemeral);
            X25519.Clamp(hs.LocalEphemeral);
            using var ephemeralKey = new X25519PrivateKey(hs.LocalEphemeral); // imported once: its public half and both agreements
            ephemeralKey.GetPublicKey(ephemeralPublic);

            msg[..RespEphemeral].Clear();
            msg[0] = (byte)TypeResponse;
            BinaryPrimitives.WriteUInt32LittleEndian(msg[RespSender..], localIndex);
            BinaryPrimitives.WriteUInt32LittleEndian(msg[RespReceiver..], hs.RemoteIndex);
            ephemeralPublic.CopyTo(msg[RespEphemeral..]);
            MixHash(hs.Hash, ephemeralPublic);
            MixKey(hs.ChainingKey, ephemeralPublic);

            if (!ephemeralKey.TrySharedSecret(hs.RemoteEphemeral, dh))
            {
                return false;
            }
            MixKey(hs.ChainingKey, dh);
            if (!ephemeralKey.TrySharedSecret(hs.RemoteStatic, dh))
            {
                return false;
            }
            MixKey(hs.ChainingKey, dh);

            Hkdf.Kdf3(hs.ChainingKey, hs.PresharedKey, hs.ChainingKey, tau, key);
            MixHash(hs.Hash, tau);
            ChaChaPoly.Seal(key, 0, default, hs.Hash, msg.Slice(RespEmpty, 16));
            MixHash(hs.Hash, msg.Slice(RespEmpty, 16));

            hs.LocalIndex = localIndex;
            hs.State = HandshakeState.ResponseCreated;
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(dh);
            CryptographicOperations.ZeroMemory(tau);
        }
    }

    /// <summary>
    /// Verifies a response against an InitiationCreated handshake, without changing it on failure.
    /// On success the handshake holds the final chaining key and state ResponseConsumed.
    /// </summary>
    internal static bool ConsumeResponse(LocalIdentity local, Handshake hs, ReadOnlySpan<byte> msg)
    {
        if (hs.State != HandshakeState.InitiationCreated)
        {
            return false;
        }
        Span<byte> hash = stackalloc byte[32];
        Span<byte> chainingKey = stackalloc byte[32];
        Span<byte> key = stackalloc byte[32];
        Span<byte> dh = stackalloc byte[32];
        Span<byte> tau = stackalloc byte[32];
        try
        {
            hs.Hash.CopyTo(hash);
            hs.ChainingKey.CopyTo(chainingKey);
            var ephemeral = msg.Slice(RespEphemeral, 32);
            MixHash(hash, ephemeral);
            MixKey(chainingKey, ephemeral);
            if (!X25519.TrySharedSecret(hs.LocalEphemeral, ephemeral, dh))
            {
                return false;
            }
            MixKey(chainingKey, dh);
            if (!local.StaticKey.TrySharedSecret(ephemeral, dh))
            {
                return false;
            }
            MixKey(chainingKey, dh);
            Hkdf.Kdf3(chainingKey, hs.PresharedKey, chainingKey, tau, key);
            MixHash(hash, tau);
            if (!ChaChaPoly.TryOpen(key, 0, msg.Slice(RespEmpty, 16), hash, default))
            {
                return false;
            }
            MixHash(hash, msg.Slice(RespEmpty, 16));

            hash.CopyTo(hs.Hash);
            chainingKey.CopyTo(hs.ChainingKey);
            ephemeral.CopyTo(hs.RemoteEphemeral);
            hs.RemoteIndex = BinaryPrimitives.ReadUInt32LittleEndian(msg[RespSender..]);
            hs.State = HandshakeState.ResponseConsumed;
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(chainingKey);
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(dh);
            CryptographicOperations.ZeroMemory(tau);
        }
    }

    /// <summary>
    /// Derives the transport keys from the final chaining key: (T_i→r, T_r→i) = KDF2(ck, ε); the
    /// initiator sends with the first. Clears the handshake transcript afterwards.
    /// </summary>
    internal static void DeriveTransportKeys(Handshake hs, bool initiator, Span<byte> sendKey, Span<byte> receiveKey)
    {
        if (initiator)
        {
            Hkdf.Kdf2(hs.ChainingKey, default, sendKey, receiveKey);
        }
        else
        {
            Hkdf.Kdf2(hs.ChainingKey, default, receiveKey, sendKey);
        }
    }

    private static void MixHash(Span<byte> hash, ReadOnlySpan<byte> data) => Blake2s.Hash(hash, data, hash);

    private static void MixKey(Span<byte> chainingKey, ReadOnlySpan<byte> input) => Hkdf.Kdf1(chainingKey, input, chainingKey);

    private static void MixKey2(Span<byte> chainingKey, ReadOnlySpan<byte> input, Span<byte> key) => Hkdf.Kdf2(chainingKey, input, chainingKey, key);
}
