namespace SharpTun.Testing.Fakes;

/// <summary>What a <see cref="FakeDatagramBind"/> reports and buffers.</summary>
public sealed record FakeBindOptions
{
    /// <summary>The reported batch size.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>The interface index reported with every received datagram.</summary>
    public int InterfaceIndex { get; init; } = 1;

    /// <summary>Bytes the bind's inbox queues before it drops (as a socket receive buffer).</summary>
    public int QueueBytes { get; init; } = 1 << 20;
}
