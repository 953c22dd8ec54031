namespace SharpTun.Lab;

/// <summary>What an ICMP echo probe measured.</summary>
/// <param name="Sent">Echo requests sent.</param>
/// <param name="Received">Matching echo replies received in time.</param>
/// <param name="RttAverageMs">Average round-trip time in milliseconds, when any reply came.</param>
/// <param name="RttMinMs">Smallest round-trip time, when any reply came.</param>
/// <param name="RttMaxMs">Largest round-trip time, when any reply came.</param>
public sealed record PingResult(int Sent, int Received, double? RttAverageMs, double? RttMinMs, double? RttMaxMs);
