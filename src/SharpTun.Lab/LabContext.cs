namespace SharpTun.Lab;

/// <summary>What a scenario gets from the runner: the topology, the options and a progress sink.</summary>
public sealed class LabContext
{
    private readonly Action<LabEvent>? _progress;
    private readonly Lock _lock = new();

    /// <summary>Creates a context (the runner does; tests may too).</summary>
    public LabContext(LabTopology topology, LabOptions options, Action<LabEvent>? progress = null)
    {
        Topology = topology;
        Options = options;
        _progress = progress;
    }

    /// <summary>The two namespaces and the wire.</summary>
    public LabTopology Topology { get; }

    /// <summary>What to measure.</summary>
    public LabOptions Options { get; }

    /// <summary>Reports progress (thread-safe: tunnel events arrive on their own threads).</summary>
    public void Report(string? scenario, string message)
    {
        if (_progress is { } p)
        {
            lock (_lock)
            {
                p(new LabEvent(scenario, message));
            }
        }
    }
}
