namespace SharpTun.Testing.Fakes;

/// <summary>What a <see cref="FakePacketQueue"/> pair reports and how much it buffers.</summary>
public sealed record FakeQueueOptions
{
    /// <summary>Packets are Ethernet frames (a fake tap).</summary>
    public bool IsEthernet { get; init; }

    /// <summary>The reported largest packet.</summary>
    public int MaxPacketSize { get; init; } = 1500;

    /// <summary>The reported virtio-net header size (the fake carries the bytes as they are).</summary>
    public int VnetHeaderSize { get; init; }

    /// <summary>The reported batch size.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Bytes each direction queues before it drops (a packet of up to 64 KB plus the virtio-net header fits when this allows).</summary>
    public int QueueBytes { get; init; } = 1 << 20;
}
