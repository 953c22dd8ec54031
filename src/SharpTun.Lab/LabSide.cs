namespace SharpTun.Lab;

/// <summary>The counters of one side of a lab tunnel at the end of a scenario.</summary>
/// <param name="Role">"server (ns A)", "client (ns B)".</param>
/// <param name="Counters">Its counters, in a stable order.</param>
public sealed record LabSide(string Role, IReadOnlyList<LabCounter> Counters);
