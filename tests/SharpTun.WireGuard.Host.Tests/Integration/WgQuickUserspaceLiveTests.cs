using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// Issue 18: the stock wg-quick on a kernel without the WireGuard module, with
/// WG_QUICK_USERSPACE_IMPLEMENTATION = our one executable (<c>sharptun wg userspace</c>), run inside a client
/// namespace with a full-tunnel config (AllowedIPs = 0.0.0.0/0, ::/0: wg-quick's fwmark, rules and nftables),
/// against wireguard-go (Debian's and upstream's) and against SharpTun. Ping across the tunnel and to
/// addresses reachable only through the default route, <c>wg-quick strip</c> and <c>save</c>, then
/// <c>wg-quick down</c>: the daemon exits by itself, its socket is gone, rules/routes/nftables are as before.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class WgQuickUserspaceLiveTests(ITestOutputHelper output)
{
    private const string BeyondV4 = "198.19.99.1";
    private const string BeyondV6 = "2001:db8:99::1";

    [RootFact]
    public void FullTunnel_AgainstDebianWireGuardGo() =>
        FullTunnel((host, cfg) => WireGuardGo.Start(host, cfg, WireGuardGo.Debian));

    [UpstreamWireGuardGoFact]
    public void FullTunnel_AgainstUpstreamWireGuardGo() =>
        FullTunnel((host, cfg) => WireGuardGo.Start(host, cfg, WireGuardGo.Upstream));

    [RootFact]
    public void FullTunnel_AgainstSharpTun() =>
        FullTunnel((host, cfg) => SharpTunWg.Start(host, cfg));

    private void FullTunnel(Func<LabHost, WgConfig, WgNode> startServer)
    {
        using var lab = new WireLab();
        var client = lab.AddHost();
        var server = lab.AddHost();
        var kc = WgKey.Generate();
        var ks = WgKey.Generate();
        var serverNode = startServer(server, new WgConfig(ks, Pairs.Port, Pairs.InnerAddresses(server),
            [new WgPeer(kc.Public, Pairs.HostRoutes(client))]));
        // Addresses only the default route reaches: through the full tunnel, answered by the server's kernel.
        server.Ns.Ip($"addr add {BeyondV4}/32 dev lo");
        server.Ns.Ip($"addr add {BeyondV6}/128 dev lo");

        using var work = new Userspace();
        var name = UniqueName.Next("wgu");
        var conf = work.Write(name + ".conf",
            $"[Interface]\nPrivateKey = {kc.Private}\nAddress = {client.InnerV4}/24, {client.InnerV6}/64\n\n"
            + $"[Peer]\nPublicKey = {ks.Public}\nAllowedIPs = 0.0.0.0/0, ::/0\nEndpoint = {server.OuterV4}:{Pairs.Port}\n");
        Userspace.WaitLinkLocal(client.Ns, "wire0");
        var before = Userspace.NetworkState(client.Ns);
        try
        {
            var up = client.Ns.Exec("env", ["-u", "LOG_LEVEL", $"WG_QUICK_USERSPACE_IMPLEMENTATION={work.Implementation}", "wg-quick", "up", conf],
                TimeSpan.FromSeconds(120));
            output.WriteLine(up.StdErr);
            Assert.True(up.ExitCode == 0, up.ToString());
            Assert.Contains($"[#] {work.Implementation} {name}", up.StdErr, StringComparison.Ordinal);
            var pid = Userspace.FindDaemon(name) ?? throw new InvalidOperationException($"no 'wg userspace {name}' process after wg-quick up");
            Assert.True(Uapi.Answers(name), $"UAPI socket of {name} does not answer");

            Traffic.Ping(client, server.InnerV4);
            Traffic.Ping(client, server.InnerV6);
            Traffic.Ping(client, BeyondV4);
            Traffic.Ping(client, BeyondV6);
            var dump = WgDump.Parse(client.Must("wg", "show", name, "dump").StdOut);
            Assert.Equal("0xca6c", dump.FwMark); // wg-quick's table 51820 as the fwmark of the tunnel's own datagrams
            Assert.Equal(kc.Public, dump.PublicKey);
            Assert.True(dump.Peer(ks.Public).LatestHandshake > 0, dump.Text);
            Assert.True(serverNode.Dump().Peer(kc.Public).LatestHandshake > 0, "the server reports no handshake");

            var strip = client.Must("wg-quick", "strip", conf).StdOut;
            Assert.Contains($"PrivateKey = {kc.Private}", strip, StringComparison.Ordinal);
            Assert.DoesNotContain("Address", strip, StringComparison.Ordinal);
            client.Must("wg-quick", "save", conf);
            var saved = File.ReadAllText(conf);
            Assert.Contains($"PublicKey = {ks.Public}", saved, StringComparison.Ordinal);
            Assert.Contains($"ListenPort = {dump.ListenPort}", saved, StringComparison.Ordinal);
            Assert.Contains($"Address = {client.InnerV4}/24", saved, StringComparison.Ordinal);

            var down = client.Ns.Exec("wg-quick", ["down", conf], TimeSpan.FromSeconds(120));
            output.WriteLine(down.StdErr);
            Assert.True(down.ExitCode == 0, down.ToString());
            Poll.Until(() => !Userspace.IsAlive(pid), $"daemon {pid} of {name} to exit after wg-quick down", TimeSpan.FromSeconds(30));
            Poll.Until(() => !File.Exists(Uapi.SocketPath(name)), $"{Uapi.SocketPath(name)} removed", TimeSpan.FromSeconds(10));
            Assert.Equal(before, Userspace.NetworkState(client.Ns));
            Assert.NotEqual(0, client.Ns.Exec("ip", ["link", "show", name]).ExitCode);
        }
        finally
        {
            client.Ns.Exec("ip", ["link", "del", name]);
            Userspace.Reap(name);
        }
    }
}
