namespace SharpTun.Lab;

/// <summary>Builds the topology, runs the scenarios in order, and removes everything (also on failure and cancellation).</summary>
public static class LabRunner
{
    /// <summary>Runs <paramref name="scenarios"/>; <paramref name="progress"/> gets progress events. Needs root.</summary>
    public static LabReport Run(IReadOnlyList<ILabScenario> scenarios, LabOptions options, Action<LabEvent>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        ArgumentNullException.ThrowIfNull(options);
        using var topology = LabTopology.Create();
        var context = new LabContext(topology, options, progress);
        context.Report(null, $"namespaces {topology.NamespaceA} and {topology.NamespaceB}, wire {topology.WireA} <-> {topology.WireB}");
        var results = new List<LabResult>();
        foreach (var scenario in scenarios)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.Add(scenario.Run(context, cancellationToken));
        }
        return new LabReport(topology.NamespaceA, topology.NamespaceB, results);
    }
}
