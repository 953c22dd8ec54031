using System.Globalization;
using System.Net;
using SharpTun.Linux.Namespaces;
using SharpTun.Netlink;
using SharpTun.WireGuard;

namespace SharpTun.Lab;

/// <summary>
/// SharpTun's WireGuard in namespace A against wireguard-go in B (another implementation, configured with
/// the stock <c>wg</c>): B initiates; the probes run from B to A. Skipped (by <see cref="IsAvailable"/>)
/// when wireguard-go or wg is not installed.
/// </summary>
internal sealed class WireGuardGoScenario : ILabScenario
{
    private static readonly IpPrefix s_tunA = IpPrefix.Parse("198.19.0.1/24");
    private static readonly IpPrefix s_tunB = IpPrefix.Parse("198.19.0.2/24");

    /// <inheritdoc/>
    public string Name => "wireguard-go";

    /// <summary>True when both wireguard-go and wg are on PATH.</summary>
    public static bool IsAvailable => Find("wireguard-go") is not null && Find("wg") is not null;

    /// <inheritdoc/>
    public LabResult Run(LabContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var t = context.Topology;
        var keyA = WireGuardKeys.GeneratePrivateKey();
        var keyB = WireGuardKeys.GeneratePrivateKey();
        // The UAPI socket directory is shared by every namespace: the name must be unique per run.
        var goName = "wg" + t.NamespaceB[^Math.Min(13, t.NamespaceB.Length)..];
        using var a = WireGuardLabPeer.Open(t.NamespaceA, keyA, s_tunA, m => context.Report(Name, "SharpTun " + m));
        a.Interface.SetPeer(WireGuardKeys.PublicKey(keyB), allowedIps: [IPNetwork.Parse("198.19.0.2/32")]);
        using var go = StartWireguardGo(t.NamespaceB, goName, cancellationToken);
        var keyFile = Path.Combine(Path.GetTempPath(), goName + ".key");
        try
        {
            File.WriteAllText(keyFile, WireGuardKeys.ToBase64(keyB) + "\n");
            Wg(t.NamespaceB, cancellationToken, "set", goName, "private-key", keyFile, "peer", WireGuardKeys.ToBase64(WireGuardKeys.PublicKey(keyA)),
                "endpoint", $"{t.WireA.Address}:{WireGuardLabPeer.Port.ToString(CultureInfo.InvariantCulture)}", "allowed-ips", "198.19.0.1/32");
        }
        finally
        {
            File.Delete(keyFile);
        }
        using (var nl = SharpTun.Linux.Netlink.RtNetlink.OpenInNamespace(t.NamespaceB))
        {
            new SharpTun.WireGuard.Host.NetworkSetup(nl, goName).ConfigureLink([s_tunB], SharpTun.WireGuard.Host.NetworkSetup.DefaultMtu);
        }
        try
        {
            context.Report(Name, $"tunnel up: {t.NamespaceA}/{WireGuardLabPeer.Device} {s_tunA} (SharpTun) <-> {t.NamespaceB}/{goName} {s_tunB} (wireguard-go pid {go.Pid})");
            var ping = LabProbes.Ping(context, s_tunA.Address, cancellationToken);
            var throughput = LabProbes.Throughput(context, s_tunA.Address, cancellationToken);
            return new LabResult
            {
                Scenario = Name,
                Mtu = SharpTun.WireGuard.Host.NetworkSetup.DefaultMtu,
                Ping = ping,
                Throughput = throughput,
                Sides = [WireGuardLabPeer.Side("SharpTun (ns A)", a.Interface)],
            };
        }
        finally
        {
            // Deleting its interface makes wireguard-go exit (and remove its socket).
            using var nl = SharpTun.Linux.Netlink.RtNetlink.OpenInNamespace(t.NamespaceB);
            if (nl.FindLink(goName) is not null)
            {
                nl.LinkDelete(goName);
            }
            go.Wait(TimeSpan.FromSeconds(10), CancellationToken.None);
        }
    }

    private static LabProcess StartWireguardGo(string nameSpace, string name, CancellationToken cancellationToken)
    {
        Environment.SetEnvironmentVariable("WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD", "1");
        var go = LabProcess.Start(nameSpace, Find("wireguard-go")!, "-f", name);
        var sock = $"/var/run/wireguard/{name}.sock";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!File.Exists(sock))
        {
            if (DateTime.UtcNow > deadline)
            {
                go.Dispose();
                throw new TimeoutException($"wireguard-go did not create {sock} within 20 s: {go.Output}");
            }
            if (cancellationToken.WaitHandle.WaitOne(20))
            {
                go.Dispose();
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        return go;
    }

    private static void Wg(string nameSpace, CancellationToken cancellationToken, params string[] args)
    {
        using var p = LabProcess.Start(nameSpace, Find("wg")!, args);
        var code = p.Wait(TimeSpan.FromSeconds(10), cancellationToken);
        if (code != 0)
        {
            throw new IOException($"wg {string.Join(' ', args.Where(a => !a.EndsWith(".key", StringComparison.Ordinal)))} failed (exit {code}): {p.Output.Trim()}");
        }
    }

    private static string? Find(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':').Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);
}
