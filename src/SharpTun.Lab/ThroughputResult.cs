namespace SharpTun.Lab;

/// <summary>What a throughput probe measured through the tunnel.</summary>
/// <param name="Tool">Which tool measured it.</param>
/// <param name="BitsPerSecond">Receiver-side TCP throughput, when measured.</param>
/// <param name="Bytes">Bytes the receiver got.</param>
/// <param name="Note">Why nothing was measured, when it was not.</param>
public sealed record ThroughputResult(ThroughputTool Tool, double? BitsPerSecond, long Bytes, string? Note = null);
