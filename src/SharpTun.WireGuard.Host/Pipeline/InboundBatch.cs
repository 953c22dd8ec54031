namespace SharpTun.WireGuard.Host;

/// <summary>
/// One inbound batch and its buffers: the receive slots (a data message decrypts in place, its plaintext
/// landing at <see cref="WireGuardInterface.Headroom"/> where the tun write takes it), sizes and sources,
/// and per element whether it is data to open and the opened result.
/// </summary>
internal sealed class InboundBatch : PipelineBatch
{
    private readonly InboundPipeline _owner;

    internal InboundBatch(InboundPipeline owner, int batch)
    {
        _owner = owner;
        Buffers = WireGuardInterface.Slots(batch, WireGuardInterface.SlotSize);
        Sizes = new int[batch];
        Endpoints = new DatagramEndpoint[batch];
        IsData = new bool[batch];
        Results = new WireGuardResult[batch];
    }

    internal Memory<byte>[] Buffers { get; }
    internal int[] Sizes { get; }
    internal DatagramEndpoint[] Endpoints { get; }

    /// <summary>Per element: a data message for the open stage (false: handled by the classifier).</summary>
    internal bool[] IsData { get; }
    internal WireGuardResult[] Results { get; }
    internal int Count;

    /// <summary>The device the batch is opened with (fixed for the batch by the pump gate); null = nothing to release.</summary>
    internal WireGuardDevice? Device;

    /// <summary>The open stage: one chunk of data messages, in place (authentication, replay window, allowed IPs).</summary>
    internal override void Work(int start, int end)
    {
        var device = Device!;
        for (var i = start; i < end; i++)
        {
            if (IsData[i])
            {
                var slot = Buffers[i].Span;
                Results[i] = device.Decapsulate(Endpoints[i], slot[..Sizes[i]], slot[WireGuardInterface.Headroom..]);
            }
        }
    }

    internal override void Completed() => _owner.Opened(this);
}
