using SharpTun.Crypto;

namespace SharpTun.WireGuard;

/// <summary>
/// One session's transport keys (paper §5.4.5): the send and receive AEADs, both indices, the next
/// send counter, the receive replay window and the creation time (device clock ticks).
/// Thread safety: the AEADs are safe for concurrent use; <see cref="SendCounter"/> is reserved under
/// the peer's lock; <see cref="Replay"/> is checked under <see cref="ReplayLock"/> (per keypair, so
/// receivers of different peers or sessions never contend).
/// </summary>
internal sealed class Keypair : IDisposable
{
    internal readonly ChaChaPoly Send;
    internal readonly ChaChaPoly Receive;
    internal readonly ReplayFilter Replay = new();
    internal readonly Lock ReplayLock = new();
    internal readonly uint LocalIndex;
    internal readonly uint RemoteIndex;
    internal readonly bool IsInitiator;
    internal readonly long Created;
    internal ulong SendCounter;
    private int _disposed;

    internal Keypair(ReadOnlySpan<byte> sendKey, ReadOnlySpan<byte> receiveKey, uint localIndex, uint remoteIndex, bool isInitiator, long created)
    {
        Send = new ChaChaPoly(sendKey);
        Receive = new ChaChaPoly(receiveKey);
        LocalIndex = localIndex;
        RemoteIndex = remoteIndex;
        IsInitiator = isInitiator;
        Created = created;
    }

    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Disposes the AEADs; waits for seals/opens in flight on other threads (they are never under a lock).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Send.Dispose();
            Receive.Dispose();
        }
    }
}
