namespace SharpTun.WireGuard.Host;

/// <summary>
/// One inbound batch and its buffers: the receive slots (a data message decrypts in place, its plaintext
/// landing at <see cref="WireGuardInterface.Headroom"/> where the tun write takes it), sizes and sources,
/// and per element whether it is data to open and the opened result.
/// </summary>
internal sealed class InboundBatch : PipelineBatch
{
    internal InboundBatch(int batch)
    {
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

    /// <summary>How many elements are data messages to open (0: nothing for the open stage).</summary>
    internal int Data;

    /// <summary>The device the batch is opened with (fixed for the batch by the pump gate); null = nothing to release.</summary>
    internal WireGuardDevice? Device;

    /// <summary>The open stage: every data message, in place (authentication, replay window, allowed IPs).</summary>
    internal override void Work()
    {
        if (Data == 0)
        {
            return;
        }
        var device = Device!;
        for (var i = 0; i < Count; i++)
        {
            if (IsData[i])
            {
                var slot = Buffers[i].Span;
                Results[i] = device.Decapsulate(Endpoints[i], slot[..Sizes[i]], slot[WireGuardInterface.Headroom..]);
            }
        }
    }
}
