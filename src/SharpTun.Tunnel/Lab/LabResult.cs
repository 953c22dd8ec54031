namespace SharpTun.Tunnel.Lab;

/// <summary>What one lab run through one transport measured.</summary>
public sealed record LabResult
{
    /// <summary>The transport measured.</summary>
    public TransportKind Transport { get; init; }

    /// <summary>Echo requests sent.</summary>
    public int PingsSent { get; init; }

    /// <summary>Echo replies received.</summary>
    public int PingsReceived { get; init; }

    /// <summary>Average round-trip time in milliseconds, when any reply came.</summary>
    public double? RttAverageMs { get; init; }

    /// <summary>iperf3 TCP throughput through the tunnel (receiver side) in bit/s, when measured.</summary>
    public double? BitsPerSecond { get; init; }

    /// <summary>Why throughput was not measured, when it was not.</summary>
    public string? ThroughputNote { get; init; }

    /// <summary>Counters of the server side (namespace A).</summary>
    public string ServerCounters { get; init; } = "";

    /// <summary>Counters of the client side (namespace B).</summary>
    public string ClientCounters { get; init; } = "";
}
