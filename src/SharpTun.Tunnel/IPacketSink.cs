namespace SharpTun.Tunnel;

/// <summary>Where a link delivers packets it received from the peer (the relay writes them to the device).</summary>
public interface IPacketSink
{
    /// <summary>One packet from the peer; the span is valid only during the call.</summary>
    void Deliver(ReadOnlySpan<byte> packet);

    /// <summary>Called after each batch of <see cref="Deliver"/> calls (one receive system call's worth).</summary>
    void EndOfBatch();
}
