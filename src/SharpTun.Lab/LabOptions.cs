namespace SharpTun.Lab;

/// <summary>How much a lab run measures.</summary>
public sealed record LabOptions
{
    /// <summary>Echo requests per scenario.</summary>
    public int Pings { get; init; } = 5;

    /// <summary>Seconds of throughput per scenario (0: skip throughput).</summary>
    public int Seconds { get; init; } = 3;

    /// <summary>Use iperf3 when it is on PATH (otherwise, or when false, the built-in transfer).</summary>
    public bool UseIperf3 { get; init; } = true;
}
