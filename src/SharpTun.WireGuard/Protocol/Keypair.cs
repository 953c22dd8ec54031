using SharpTun.Crypto;

namespace SharpTun.WireGuard;

/// <summary>
/// One session's transport keys (paper §5.4.5): the send and receive AEADs, both indices, the next
/// send counter, the receive replay window and the creation time (device clock ticks).
/// </summary>
internal sealed class Keypair : IDisposable
{
    internal readonly ChaChaPoly Send;
    internal readonly ChaChaPoly Receive;
    internal readonly ReplayFilter Replay = new();
    internal readonly uint LocalIndex;
    internal readonly uint RemoteIndex;
    internal readonly bool IsInitiator;
    internal readonly long Created;
    internal ulong SendCounter;
    private bool _disposed;

    internal Keypair(ReadOnlySpan<byte> sendKey, ReadOnlySpan<byte> receiveKey, uint localIndex, uint remoteIndex, bool isInitiator, long created)
    {
        Send = new ChaChaPoly(sendKey);
        Receive = new ChaChaPoly(receiveKey);
        LocalIndex = localIndex;
        RemoteIndex = remoteIndex;
        IsInitiator = isInitiator;
        Created = created;
    }

    internal bool IsDisposed => _disposed;

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Send.Dispose();
            Receive.Dispose();
        }
    }
}
