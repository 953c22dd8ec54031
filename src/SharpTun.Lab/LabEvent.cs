namespace SharpTun.Lab;

/// <summary>A progress report of a lab run (topology built, tunnel up, a tunnel's own log event).</summary>
/// <param name="Scenario">The scenario it belongs to, or null for the lab itself.</param>
/// <param name="Message">A sentence for people.</param>
public sealed record LabEvent(string? Scenario, string Message);
