using SharpTun.Tunnel;

namespace SharpTun.Lab;

/// <summary>
/// The lab's modes and the scenarios each runs. "relay" is the relay tunnel over TCP and UDP;
/// "all" is every mode. A new mode (WireGuard) adds its case here and its scenario in its own file.
/// </summary>
public static class LabCatalog
{
    /// <summary>The modes <see cref="Scenarios"/> accepts.</summary>
    public static IReadOnlyList<string> Modes { get; } = ["relay", "all"];

    /// <summary>
    /// The scenarios of <paramref name="mode"/>; <paramref name="relayTransports"/> limits the relay to
    /// TCP or UDP (null: both). Throws <see cref="ArgumentException"/> for an unknown mode.
    /// </summary>
    public static IReadOnlyList<ILabScenario> Scenarios(string mode, IReadOnlyList<TransportKind>? relayTransports = null)
    {
        ArgumentNullException.ThrowIfNull(mode);
        var relay = (relayTransports ?? [TransportKind.Tcp, TransportKind.Udp]).Select(t => (ILabScenario)new RelayScenario(t)).ToList();
        return mode.ToLowerInvariant() switch
        {
            "relay" or "all" => relay,
            _ => throw new ArgumentException($"unknown lab mode '{mode}': use {string.Join(", ", Modes)}"),
        };
    }
}
