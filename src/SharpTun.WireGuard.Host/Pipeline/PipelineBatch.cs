namespace SharpTun.WireGuard.Host;

/// <summary>
/// One batch in flight through a data-plane pipeline: filled by its reader, worked on in chunks by the
/// <see cref="CryptoWorkers"/>, released in sequence by its <see cref="ReleaseRing{TBatch}"/>. Allocated
/// once per ring slot with all its buffers; reused for every batch that passes through that slot.
/// </summary>
internal abstract class PipelineBatch
{
    /// <summary>Chunks not yet finished (set before the chunks are posted).</summary>
    internal int Pending;

    /// <summary>1 once every chunk finished (the release stage may take it); 0 again when released.</summary>
    internal int Done;

    /// <summary>Seals or opens elements [<paramref name="start"/>, <paramref name="end"/>); any thread, no lock.</summary>
    internal abstract void Work(int start, int end);

    /// <summary>Called once by the thread that finished the last chunk.</summary>
    internal abstract void Completed();
}
