namespace SharpTun.Lab;

/// <summary>A whole lab run: where it ran and each scenario's result.</summary>
/// <param name="NamespaceA">Namespace A's name (removed by now).</param>
/// <param name="NamespaceB">Namespace B's name (removed by now).</param>
/// <param name="Results">One result per scenario, in order.</param>
public sealed record LabReport(string NamespaceA, string NamespaceB, IReadOnlyList<LabResult> Results)
{
    /// <summary>True when every scenario passed.</summary>
    public bool Passed => Results.Count > 0 && Results.All(r => r.Passed);
}
