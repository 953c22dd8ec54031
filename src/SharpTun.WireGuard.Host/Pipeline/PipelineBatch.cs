namespace SharpTun.WireGuard.Host;

/// <summary>
/// One batch in flight through a data-plane pipeline: filled by the thread holding the pipeline's read turn,
/// sealed or opened by that same thread after it passed the turn on (so the packets never cross cores), released
/// in sequence by its <see cref="ReleaseRing{TBatch}"/>. Allocated once per ring slot with all its buffers;
/// reused for every batch that passes through that slot.
/// </summary>
internal abstract class PipelineBatch
{
    /// <summary>1 once the batch's work is finished (the release stage may take it); 0 again when released.</summary>
    internal int Done;

    /// <summary>Seals or opens the batch's elements, in place; any thread, no lock.</summary>
    internal abstract void Work();
}
