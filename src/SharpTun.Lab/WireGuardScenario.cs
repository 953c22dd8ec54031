using System.Net;
using SharpTun.Netlink;
using SharpTun.IO;
using SharpTun.WireGuard;
using SharpTun.WireGuard.Host;

namespace SharpTun.Lab;

/// <summary>
/// The secure tunnel across the lab: SharpTun's WireGuard in namespace A (wg0 198.19.0.1/24, UDP 51820)
/// and in B (198.19.0.2/24), peered with fresh keys, B knowing A's endpoint; then the probes from B to A.
/// </summary>
internal sealed class WireGuardScenario : ILabScenario
{
    private static readonly IpPrefix s_tunA = IpPrefix.Parse("198.19.0.1/24");
    private static readonly IpPrefix s_tunB = IpPrefix.Parse("198.19.0.2/24");

    /// <inheritdoc/>
    public string Name => "wireguard";

    /// <inheritdoc/>
    public LabResult Run(LabContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var t = context.Topology;
        var keyA = WireGuardKeys.GeneratePrivateKey();
        var keyB = WireGuardKeys.GeneratePrivateKey();
        using var a = WireGuardLabPeer.Open(t.NamespaceA, keyA, s_tunA, m => context.Report(Name, "A " + m));
        using var b = WireGuardLabPeer.Open(t.NamespaceB, keyB, s_tunB, m => context.Report(Name, "B " + m));
        a.Interface.SetPeer(WireGuardKeys.PublicKey(keyB), allowedIps: [IPNetwork.Parse("198.19.0.2/32")]);
        b.Interface.SetPeer(WireGuardKeys.PublicKey(keyA), endpoint: NetEndpoint.From(new IPEndPoint(t.WireA.Address, WireGuardLabPeer.Port)),
            allowedIps: [IPNetwork.Parse("198.19.0.1/32")]);
        context.Report(Name, $"tunnel up (MTU {NetworkSetup.DefaultMtu}): {t.NamespaceA}/{WireGuardLabPeer.Device} {s_tunA} <-> {t.NamespaceB}/{WireGuardLabPeer.Device} {s_tunB}, WireGuard over UDP {WireGuardLabPeer.Port}");
        var ping = LabProbes.Ping(context, s_tunA.Address, cancellationToken);
        var throughput = LabProbes.Throughput(context, s_tunA.Address, cancellationToken);
        return new LabResult
        {
            Scenario = Name,
            Mtu = NetworkSetup.DefaultMtu,
            Ping = ping,
            Throughput = throughput,
            Sides = [WireGuardLabPeer.Side("SharpTun (ns A)", a.Interface), WireGuardLabPeer.Side("SharpTun (ns B)", b.Interface)],
        };
    }
}
