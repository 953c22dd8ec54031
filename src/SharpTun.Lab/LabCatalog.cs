using SharpTun.Tunnel;

namespace SharpTun.Lab;

/// <summary>
/// The lab's modes and the scenarios each runs. "wg" is the secure tunnel (SharpTun to SharpTun over
/// WireGuard, then SharpTun to wireguard-go when it is installed); "relay" is the relay tunnel over TCP
/// and UDP; "all" is every mode, WireGuard first. A new mode (WireGuard) adds its case here and its scenario in its own file.
/// </summary>
public static class LabCatalog
{
    /// <summary>The modes <see cref="Scenarios"/> accepts.</summary>
    public static IReadOnlyList<string> Modes { get; } = ["wg", "relay", "all"];

    /// <summary>
    /// The scenarios of <paramref name="mode"/>; <paramref name="relayTransports"/> limits the relay to
    /// TCP or UDP (null: both). Throws <see cref="ArgumentException"/> for an unknown mode.
    /// </summary>
    public static IReadOnlyList<ILabScenario> Scenarios(string mode, IReadOnlyList<TransportKind>? relayTransports = null)
    {
        ArgumentNullException.ThrowIfNull(mode);
        var relay = (relayTransports ?? [TransportKind.Tcp, TransportKind.Udp]).Select(t => (ILabScenario)new RelayScenario(t)).ToList();
        // WireGuard first (the secure tunnel), wireguard-go only when installed.
        List<ILabScenario> wg = [new WireGuardScenario()];
        if (WireGuardGoScenario.IsAvailable)
        {
            wg.Add(new WireGuardGoScenario());
        }
        return mode.ToLowerInvariant() switch
        {
            "wg" => wg,
            "relay" => relay,
            "all" => [.. wg, .. relay],
            _ => throw new ArgumentException($"unknown lab mode '{mode}': use {string.Join(", ", Modes)}"),
        };
    }
}
