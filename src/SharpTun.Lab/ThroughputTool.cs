namespace SharpTun.Lab;

/// <summary>Which tool measured throughput.</summary>
public enum ThroughputTool
{
    /// <summary>Not measured (disabled, or the measurement failed: see <see cref="ThroughputResult.Note"/>).</summary>
    None,

    /// <summary>iperf3 (found on PATH), TCP, receiver side.</summary>
    Iperf3,

    /// <summary>SharpTun's own bounded TCP bulk transfer between the namespaces (iperf3 not installed).</summary>
    BuiltIn,
}
