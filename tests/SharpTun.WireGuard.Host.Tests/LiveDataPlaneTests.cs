using System.Net;
using SharpTun.Linux.Namespaces;
using SharpTun.Linux.Netlink;
using SharpTun.Linux.Tun;
using SharpTun.Netlink;
using SharpTun.WireGuard;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>
/// The data plane on a real tun device and UDP socket in lab host A against wireguard-go in host B
/// (configured with the stock wg): pings both ways, the handshake started by either side. The judge is the
/// kernel's ping and wireguard-go's own counters read with <c>wg show dump</c>.
/// </summary>
public sealed class LiveDataPlaneTests(ITestOutputHelper output)
{
    [RootFact]
    public void SharpTunInitiates_PingBothWays_AgainstWireguardGo() => PingBothWays(sharpTunInitiates: true);

    [RootFact]
    public void WireguardGoInitiates_PingBothWays() => PingBothWays(sharpTunInitiates: false);

    private void PingBothWays(bool sharpTunInitiates)
    {
        using var lab = WireLab.Create(2);
        var a = lab.Hosts[0].Ns;
        var b = lab.Hosts[1].Ns;

        var ourKey = WireGuardKeys.GeneratePrivateKey();
        var theirKey = WireGuardKeys.GeneratePrivateKey();
        var ourName = UniqueName.Next("wsh");
        using var go = new WireGuardGoPeer(b, UniqueName.Next("wgo"), theirKey, 51820, "198.19.0.2/24");
        var wgInterface = NetNamespace.Run(a.Name, () =>
        {
            var tun = TunDevice.Open(new TunOptions { Name = ourName, Exclusive = true });
            return new WireGuardInterface(tun, ourKey, WireGuardHost.DefaultBind, 0,
                log: new HostLog(new XunitWriter(output), HostLogLevel.Debug));
        });
        using var _ = wgInterface;
        using (var nl = RtNetlink.OpenInNamespace(a.Name))
        {
            var setup = new NetworkSetup(nl, ourName);
            setup.ConfigureLink([IpPrefix.Parse("198.19.0.1/24")], NetworkSetup.DefaultMtu);
        }
        wgInterface.SetPeer(WireGuardKeys.PublicKey(theirKey),
            endpoint: sharpTunInitiates ? NetEndpoint.From(new IPEndPoint(IPAddress.Parse("198.18.0.2"), 51820)) : null,
            allowedIps: [IPNetwork.Parse("198.19.0.2/32")]);
        wgInterface.Start();
        var ourPort = wgInterface.ActualListenPort;
        List<string> args = ["set", go.Interface, "peer", WireGuardKeys.ToBase64(WireGuardKeys.PublicKey(ourKey)), "allowed-ips", "198.19.0.1/32"];
        if (!sharpTunInitiates)
        {
            args.AddRange(["endpoint", $"198.18.0.1:{ourPort}"]);
        }
        go.Wg([.. args]);

        var first = sharpTunInitiates ? a : b;
        var second = sharpTunInitiates ? b : a;
        var firstTarget = sharpTunInitiates ? "198.19.0.2" : "198.19.0.1";
        var secondTarget = sharpTunInitiates ? "198.19.0.1" : "198.19.0.2";
        var p1 = first.Exec("ping", ["-c", "5", "-i", "0.2", "-w", "15", firstTarget]);
        output.WriteLine(p1.ToString());
        Assert.Equal(0, p1.ExitCode);
        var p2 = second.Exec("ping", ["-c", "5", "-i", "0.2", "-w", "15", secondTarget]);
        output.WriteLine(p2.ToString());
        Assert.Equal(0, p2.ExitCode);
        Assert.Contains(" 0% packet loss", p2.StdOut, StringComparison.Ordinal);

        // wireguard-go's view: our endpoint, a handshake, bytes both ways.
        var dump = go.Wg("show", go.Interface, "dump").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var fields = dump[1].Split('\t');
        Assert.StartsWith("198.18.0.1:", fields[2], StringComparison.Ordinal);
        Assert.NotEqual("0", fields[4]);
        var peer = Assert.Single(wgInterface.GetPeers());
        Assert.True(peer.ReceiveBytes > 0 && peer.TransmitBytes > 0);
        // What wireguard-go received is what we sent, and the other way round (UDP payload bytes).
        Assert.Equal(peer.TransmitBytes, long.Parse(fields[5], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(peer.ReceiveBytes, long.Parse(fields[6], System.Globalization.CultureInfo.InvariantCulture));
        // The kernel's own IPv6 link chatter (router solicitations, MLD to ff02::) has no peer: no_route. Nothing else drops.
        Assert.Equal(0, wgInterface.Drops.Total - wgInterface.Drops[DropReason.NoRoute]);
    }
}
