namespace SharpTun.WireGuard.Host;

/// <summary>
/// Lets the pumps run their batches at the same time and makes the rare change a pump must not see
/// half-done (a new protocol core, a peer removed, a socket disposed) wait until no pump is inside a
/// batch. A pump pays two interlocked operations per batch (not per packet) and never blocks unless a
/// change is waiting; the change side spins (with yields) until the batches in flight ended.
/// </summary>
internal sealed class PumpGate : IDisposable
{
    private readonly Lock _changes = new();
    private readonly ManualResetEventSlim _open = new(initialState: true);
    private int _inBatch;
    private int _closed;

    /// <summary>A pump starts a batch (waits while a change is being made).</summary>
    internal void EnterBatch()
    {
        while (true)
        {
            Interlocked.Increment(ref _inBatch);
            // The increment is a full fence: a change that closed the gate before it is seen here,
            // and a change that closes it after it sees this batch in _inBatch.
            if (Volatile.Read(ref _closed) == 0)
            {
                return;
            }
            Interlocked.Decrement(ref _inBatch);
            _open.Wait();
        }
    }

    /// <summary>A pump ended its batch.</summary>
    internal void ExitBatch() => Interlocked.Decrement(ref _inBatch);

    /// <summary>Waits until no pump is inside a batch and keeps new batches out until the scope is disposed.</summary>
    internal Scope Exclusive()
    {
        _changes.Enter();
        _open.Reset();
        Interlocked.Exchange(ref _closed, 1);
        var spin = new SpinWait();
        while (Volatile.Read(ref _inBatch) != 0)
        {
            spin.SpinOnce();
        }
        return new Scope(this);
    }

    public void Dispose() => _open.Dispose();

    private void Reopen()
    {
        Volatile.Write(ref _closed, 0);
        _open.Set();
        _changes.Exit();
    }

    /// <summary>The exclusive hold; dispose to let the pumps go on.</summary>
    internal readonly struct Scope(PumpGate gate) : IDisposable
    {
        public void Dispose() => gate.Reopen();
    }
}
