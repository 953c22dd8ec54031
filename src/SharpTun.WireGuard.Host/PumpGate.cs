namespace SharpTun.WireGuard.Host;

/// <summary>
/// Lets the pumps run their batches at the same time (shared) and makes the rare change a pump must
/// not see half-done (a new protocol core, a peer removed, a socket disposed) wait until no pump is
/// inside a batch (exclusive). One reader-writer lock taken once per batch, not per packet.
/// </summary>
internal sealed class PumpGate : IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);

    /// <summary>A pump starts a batch.</summary>
    internal void EnterBatch() => _lock.EnterReadLock();

    /// <summary>A pump ended its batch.</summary>
    internal void ExitBatch() => _lock.ExitReadLock();

    /// <summary>Waits until no pump is inside a batch and keeps new batches out until disposed.</summary>
    internal Scope Exclusive()
    {
        _lock.EnterWriteLock();
        return new Scope(_lock);
    }

    public void Dispose() => _lock.Dispose();

    /// <summary>The exclusive hold; dispose to let the pumps go on.</summary>
    internal readonly struct Scope(ReaderWriterLockSlim held) : IDisposable
    {
        public void Dispose() => held.ExitWriteLock();
    }
}
