namespace SharpTun.WireGuard.Host;

/// <summary>
/// The reorder stage of a pipeline: a ring of <see cref="Depth"/> batches taken in sequence (by whichever
/// thread holds the pipeline's read turn: one at a time) and released (sent, or written to the tun) strictly in
/// that sequence, whatever order the threads finish them in; this is what keeps each peer's packets in order.
/// The releasing thread is whichever finished a batch while no other releases (a flag, not a lock: threads never
/// wait for each other here). A release that throws is reported and the ring goes on, so no batch is ever left
/// unreleased and no thread waits for a slot forever.
/// </summary>
internal sealed class ReleaseRing<TBatch> : IDisposable where TBatch : PipelineBatch
{
    private readonly TBatch[] _batches;
    private readonly SemaphoreSlim _free;
    private readonly Action<TBatch> _release;
    private readonly Action<Exception> _fault;
    private long _nextAcquire; // the reader's
    private long _nextRelease; // the releaser's (one at a time, under _releasing)
    private int _releasing;

    /// <param name="batches">The ring's slots.</param>
    /// <param name="release">Sends or writes one batch (one call at a time, in sequence).</param>
    /// <param name="fault">Told of an exception <paramref name="release"/> threw (a socket or device failing).</param>
    internal ReleaseRing(TBatch[] batches, Action<TBatch> release, Action<Exception> fault)
    {
        _batches = batches;
        _release = release;
        _fault = fault;
        _free = new SemaphoreSlim(batches.Length);
    }

    internal int Depth => _batches.Length;

    /// <summary>Batches taken and not yet released.</summary>
    internal int InFlight => Depth - _free.CurrentCount;

    /// <summary>The next batch in sequence (the read turn's holder only); waits (blocks) until it was released.</summary>
    internal TBatch Acquire()
    {
        _free.Wait();
        return _batches[_nextAcquire++ % _batches.Length];
    }

    /// <summary>Waits until every batch taken was released (the caller holds none unfinished).</summary>
    internal void WaitIdle()
    {
        var spin = new SpinWait();
        while (_free.CurrentCount < Depth)
        {
            spin.SpinOnce(sleep1Threshold: 20);
        }
    }

    /// <summary>
    /// Takes <paramref name="batch"/> again as the next in sequence; only while nothing is in flight (after
    /// <see cref="WaitIdle"/>), when every slot is free and their order in the ring does not matter.
    /// </summary>
    internal TBatch AcquireAgain(TBatch batch)
    {
        var at = Array.IndexOf(_batches, batch);
        var next = (int)(_nextAcquire % _batches.Length);
        (_batches[at], _batches[next]) = (_batches[next], _batches[at]);
        _nextRelease = _nextAcquire; // nothing in flight: the releaser waits exactly here
        _free.Wait();
        _nextAcquire++;
        return batch;
    }

    /// <summary>Marks <paramref name="batch"/> finished and releases every finished batch at the head of the sequence.</summary>
    internal void Finished(TBatch batch)
    {
        Volatile.Write(ref batch.Done, 1);
        while (Interlocked.CompareExchange(ref _releasing, 1, 0) == 0)
        {
            while (true)
            {
                var head = _batches[_nextRelease % _batches.Length];
                if (Volatile.Read(ref head.Done) == 0)
                {
                    break;
                }
                try
                {
                    _release(head);
                }
                catch (Exception e)
                {
                    _fault(e);
                }
                head.Done = 0;
                _nextRelease++;
                _free.Release();
            }
            // The exchange is a full fence: a batch finished after the check above either saw the flag
            // set (and left it to us) or sees it clear now and releases itself; re-check for the first case.
            Interlocked.Exchange(ref _releasing, 0);
            if (Volatile.Read(ref _batches[_nextRelease % _batches.Length].Done) == 0)
            {
                return;
            }
        }
    }

    public void Dispose() => _free.Dispose();
}
