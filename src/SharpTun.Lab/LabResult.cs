namespace SharpTun.Lab;

/// <summary>What one lab scenario measured.</summary>
public sealed record LabResult
{
    /// <summary>The scenario ("relay-tcp").</summary>
    public required string Scenario { get; init; }

    /// <summary>The tunnel MTU used.</summary>
    public int Mtu { get; init; }

    /// <summary>The echo probe across the tunnel (SharpTun's own ICMP probe; no ping binary).</summary>
    public required PingResult Ping { get; init; }

    /// <summary>The throughput probe across the tunnel, and which tool made it.</summary>
    public required ThroughputResult Throughput { get; init; }

    /// <summary>Each side's counters.</summary>
    public IReadOnlyList<LabSide> Sides { get; init; } = [];

    /// <summary>True when packets crossed both ways (at least one echo reply).</summary>
    public bool Passed => Ping.Received > 0;
}
