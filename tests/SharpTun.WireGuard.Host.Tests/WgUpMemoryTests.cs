using System.Runtime.CompilerServices;
using System.Text;
using SharpTun.Linux.Namespaces;
using SharpTun.WireGuard;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>
/// Issue 20, <c>sharptun wg up</c>: the managed memory a service keeps per idle peer once a wg-quick file of 20,000
/// peers (one /32 each, one route each, SaveConfig) is up in a namespace this test made, beyond what it keeps with one
/// peer: the interface's own per-peer state (~1,100 bytes in <see cref="PeerMemoryTests"/>, ~1,550 with the host's
/// per-peer state) and what up keeps beyond it — the record of its routes for the undo (8 bytes a route), nothing of
/// the parsed file. Keeping the parsed file and the host's peer list again (~600 bytes a peer), a transport record per
/// idle peer (~280) or a route object per route (~150) goes past the bound. In the memory collection: nothing else
/// allocates meanwhile.
/// </summary>
[Collection(PeerMemoryTests.Name)]
public sealed class WgUpMemoryTests(ITestOutputHelper output) : IDisposable
{
    private const int Peers = 20_000;
    private readonly string _dir = Directory.CreateTempSubdirectory("sharptun-upmem-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [RootFact]
    public void WgUp_20000Peers_KeepsAtMost1700ManagedBytesPerPeer_AndNoneOfTheFile()
    {
        // The interface's fixed cost (pipeline buffers, threads, sockets: megabytes) measured alone, with one peer.
        var fixedCost = Retained(1);
        var total = Retained(Peers);
        var perPeer = (total - fixedCost) / (double)(Peers - 1);
        output.WriteLine($"managed bytes kept by wg up: {fixedCost} with 1 peer, {total} with {Peers}: {perPeer:0} per idle peer");
        Assert.InRange(perPeer, 1, 1700);
    }

    /// <summary>Brings up a file of <paramref name="peers"/> peers in a namespace of its own, returns the managed bytes kept once it is up, takes it down.</summary>
    private long Retained(int peers)
    {
        using var ns = NetNs.Create("stum");
        var name = UniqueName.Next("wum");
        var path = WriteConfig(name, peers);
        var before = PeerMemoryTests.Live();
        var service = Create(path, name, ns.Name);
        using var cts = new CancellationTokenSource();
        var run = NetNamespace.RunAsync(ns.Name, () => service.Run(cts.Token));
        try
        {
            Assert.True(service.Ready.Wait(TimeSpan.FromSeconds(120)), "not up within 120 s");
            Assert.Equal(peers, RouteCount(ns, name));
            var kept = PeerMemoryTests.Live() - before;
            output.WriteLine($"{peers} peer(s) up: {kept} managed bytes kept");
            // What the service still holds of the file: no peers, no parsed form (they run in the interface).
            Assert.Empty(service.Config.Peers);
            Assert.Null(service.Config.Source);
            cts.Cancel();
            Assert.True(run.Wait(TimeSpan.FromSeconds(60)), "not down within 60 s of the cancellation");
            Assert.Equal(0, RouteCount(ns, name));
            return kept;
        }
        finally
        {
            cts.Cancel();
            run.Wait(TimeSpan.FromSeconds(60));
        }
    }

    /// <summary>
    /// Reads the file and makes the service in a frame of its own: the test's frame (unoptimized code keeps every
    /// local to the method's end) must hold nothing of the file but what the service holds.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private WireGuardService Create(string path, string name, string ns) =>
        new(WireGuardService.LoadConfig(path, name), new WireGuardServiceOptions
        {
            LogLevel = HostLogLevel.Silent,
            NotifySocket = "",
            PidDirectory = Path.Combine(_dir, "run"),
            UapiDirectory = Path.Combine(_dir, "uapi"),
            BindFactory = (port, mark) => NetNamespace.Run(ns, () => WireGuardHost.DefaultBind(port, mark)),
        });

    /// <summary>A wg-quick file: Address 198.19.0.1/24, SaveConfig (what makes up keep the most), <paramref name="peers"/> peers with a /32 each from 198.18.0.0.</summary>
    private string WriteConfig(string name, int peers)
    {
        var rng = new Random(20);
        var key = new byte[32];
        rng.NextBytes(key);
        var text = new StringBuilder($"[Interface]\nPrivateKey = {Convert.ToBase64String(key)}\nAddress = 198.19.0.1/24\nSaveConfig = true\n");
        for (var i = 0; i < peers; i++)
        {
            rng.NextBytes(key);
            text.Append("\n[Peer]\nPublicKey = ").Append(Convert.ToBase64String(key))
                .Append("\nAllowedIPs = 198.18.").Append(i >> 8).Append('.').Append(i & 255).Append("/32\n");
        }
        var path = Path.Combine(_dir, name + ".conf");
        File.WriteAllText(path, text.ToString());
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    /// <summary>The routes wg up added (proto boot) on the device; 0 once it is gone.</summary>
    private static int RouteCount(NetNs ns, string name)
    {
        var r = ns.Exec("ip", ["-4", "route", "show", "dev", name, "proto", "boot"]);
        return r.ExitCode != 0 ? 0 : r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
    }
}
