namespace SharpTun.Lab;

/// <summary>One named counter of one side of a lab tunnel.</summary>
/// <param name="Name">What it counts ("device to peer packets").</param>
/// <param name="Value">The value at the end of the scenario.</param>
public sealed record LabCounter(string Name, long Value);
