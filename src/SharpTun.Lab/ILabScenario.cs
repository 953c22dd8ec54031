namespace SharpTun.Lab;

/// <summary>
/// One thing the lab runs across its two namespaces (the relay over TCP, over UDP; WireGuard adds
/// its own): it builds its tunnel devices inside <see cref="LabContext.Topology"/>, measures with
/// <see cref="LabProbes"/>, tears its tunnel down and returns data (no formatted text).
/// </summary>
public interface ILabScenario
{
    /// <summary>A short name for output and for choosing ("relay-tcp").</summary>
    string Name { get; }

    /// <summary>Runs the scenario; throws when its tunnel fails (the runner still cleans up).</summary>
    LabResult Run(LabContext context, CancellationToken cancellationToken);
}
