namespace SharpTun.WireGuard.Host;

/// <summary>
/// The parallel crypto stage shared by both directions of one interface: <see cref="Count"/> threads
/// taking chunks of batches (seal for <see cref="OutboundPipeline"/>, open for <see cref="InboundPipeline"/>)
/// from one job ring. A reader posts a batch as up to <see cref="Count"/> chunks of consecutive elements;
/// whichever thread finishes a batch's last chunk hands it to the batch's release stage, which puts the
/// batches back in order. Readers only post (see <see cref="ReleaseRing{TBatch}.Acquire"/> for why they do
/// not help).
/// <para>Allocation-free after construction: jobs are structs in a fixed ring, the semaphore blocks with
/// Monitor. The ring cannot overflow: each pipeline has at most its ring depth × <see cref="Count"/> jobs out.</para>
/// </summary>
internal sealed class CryptoWorkers : IDisposable
{
    /// <summary>Fewer elements than this per chunk are not worth a hand-off.</summary>
    internal const int MinChunk = 4;

    private const int Capacity = 4096; // a power of two, far above pipelines × depth × workers

    private readonly Job[] _jobs = new Job[Capacity];
    private readonly Lock _post = new();
    private readonly SemaphoreSlim _available = new(0);
    private long _tail;
    private long _head;

    private readonly Action<Exception> _fault;

    /// <param name="count">Worker threads.</param>
    /// <param name="fault">Told of an exception a job threw (a socket or device failing under a send or write);
    /// the worker goes on, so every batch is still released and the readers never wait for a dead worker.</param>
    internal CryptoWorkers(int count, Action<Exception> fault)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Count = count;
        _fault = fault;
    }

    /// <summary>Worker threads (and chunks per full batch).</summary>
    internal int Count { get; }

    /// <summary>Splits <paramref name="batch"/>'s <paramref name="elements"/> into chunks and queues them.</summary>
    internal void Post(PipelineBatch batch, int elements)
    {
        var chunks = Math.Clamp((elements + MinChunk - 1) / MinChunk, 1, Count);
        var size = (elements + chunks - 1) / chunks;
        batch.Pending = chunks;
        lock (_post)
        {
            for (var c = 0; c < chunks; c++)
            {
                var start = c * size;
                _jobs[(_tail + c) & (Capacity - 1)] = new Job(batch, start, Math.Min(elements, start + size));
            }
            _tail += chunks;
        }
        _available.Release(chunks);
    }

    /// <summary>Bytes the worker threads allocated, summed as each ends (what the zero-allocation tests read after a stop).</summary>
    internal long AllocatedBytes => Interlocked.Read(ref _allocated);

    private long _allocated;

    /// <summary>A worker thread's body: runs jobs until <see cref="Shutdown"/>.</summary>
    internal void Run()
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        while (true)
        {
            _available.Wait();
            if (!RunClaimed())
            {
                Interlocked.Add(ref _allocated, GC.GetAllocatedBytesForCurrentThread() - allocated);
                return;
            }
        }
    }

    /// <summary>Queues one stop job per worker (after the readers ended, so no batch is left behind).</summary>
    internal void Shutdown()
    {
        lock (_post)
        {
            for (var c = 0; c < Count; c++)
            {
                _jobs[(_tail + c) & (Capacity - 1)] = default;
            }
            _tail += Count;
        }
        _available.Release(Count);
    }

    public void Dispose() => _available.Dispose();

    private bool RunClaimed()
    {
        var index = Interlocked.Increment(ref _head) - 1;
        var job = _jobs[index & (Capacity - 1)];
        if (job.Batch is not { } batch)
        {
            return false;
        }
        try
        {
            batch.Work(job.Start, job.End);
        }
        catch (Exception e)
        {
            _fault(e);
        }
        if (Interlocked.Decrement(ref batch.Pending) == 0)
        {
            try
            {
                batch.Completed();
            }
            catch (Exception e)
            {
                _fault(e);
            }
        }
        return true;
    }

    private readonly record struct Job(PipelineBatch? Batch, int Start, int End);
}
