using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SharpTun.Linux.Namespaces;
using SharpTun.WireGuard;
using SharpTun.WireGuard.Host;

namespace SharpTun.WireGuard.Hosting.Tests;

/// <summary>
/// <c>services.AddSharpTunWireGuard(...)</c>: the hosted service brings the interface of a wg-quick file up at
/// start (in the namespace of the starting thread: one this test made) and down at stop, logging through the
/// container's ILoggerFactory; a start error fails the host's start.
/// </summary>
public sealed class HostingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharptun-hosting-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteConfig(string name)
    {
        var path = Path.Combine(_dir, name + ".conf");
        var key = WireGuardKeys.ToBase64(WireGuardKeys.GeneratePrivateKey());
        var peer = WireGuardKeys.ToBase64(WireGuardKeys.PublicKey(WireGuardKeys.GeneratePrivateKey()));
        File.WriteAllText(path, $"[Interface]\nPrivateKey = {key}\nAddress = 198.19.0.1/24\n\n[Peer]\nPublicKey = {peer}\nAllowedIPs = 198.19.0.2/32\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    [RootFact]
    public void HostedService_StartBringsUp_StopTakesDown_LogsThroughTheContainer()
    {
        using var ns = NetNs.Create("sthg");
        var name = UniqueName.Next("wsh");
        var pidDir = Path.Combine(_dir, "run");
        var uapiDir = Path.Combine(_dir, "uapi");
        var log = new StringWriter();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(new LineLoggerProvider(log, journal: true)));
        services.AddSharpTunWireGuard(WriteConfig(name), o =>
        {
            o.PidDirectory = pidDir;
            o.UapiDirectory = uapiDir;
            o.NotifySocket = ""; // not the test runner's systemd, should it have one
            o.BindFactory = (port, mark) => NetNamespace.Run(ns.Name, () => WireGuardHost.DefaultBind(port, mark));
        });
        using var provider = services.BuildServiceProvider();
        var hosted = Assert.Single(provider.GetServices<IHostedService>());
        // StartAsync starts the service's thread from this one: inside the test's namespace.
        Assert.True(NetNamespace.Run(ns.Name, () => hosted.StartAsync(CancellationToken.None).Wait(TimeSpan.FromSeconds(60))), $"not up within 60 s:\n{log}");
        try
        {
            Assert.Contains("198.19.0.1/24", ns.Ip($"-br addr show dev {name}"));
            Assert.Equal(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n", File.ReadAllText(Path.Combine(pidDir, name + ".pid")));
            Assert.Contains("errno=0\n", UapiClient.Send(name, "get=1\n\n", uapiDir));
            Assert.Contains($"<6>{name}: up: 1 peer(s)", log.ToString());
        }
        finally
        {
            Assert.True(hosted.StopAsync(CancellationToken.None).Wait(TimeSpan.FromSeconds(60)), "not down within 60 s");
        }
        Assert.NotEqual(0, ns.Exec("ip", ["link", "show", name]).ExitCode);
        Assert.False(File.Exists(Path.Combine(pidDir, name + ".pid")), "pid file left behind");
        Assert.False(File.Exists(Path.Combine(uapiDir, name + ".sock")), "UAPI socket left behind");
        Assert.Contains($"<6>{name}: down", log.ToString());
    }

    [Fact]
    public async Task HostStart_FailsWithTheServicesStartError()
    {
        var conf = WriteConfig(UniqueName.Next("wsh"));
        using var host = new HostBuilder()
            .ConfigureServices(s => s.AddSharpTunWireGuard(conf, o => o.User = "no-such-user-sharptun"))
            .Build();
        var e = await Assert.ThrowsAsync<ArgumentException>(() => host.StartAsync());
        Assert.Equal("unknown user 'no-such-user-sharptun': not a number and not found in /etc/passwd", e.Message);
    }

    [Fact]
    public async Task HostStart_MissingConfig_NamesTheFile()
    {
        var conf = Path.Combine(_dir, "wgnone.conf");
        using var host = new HostBuilder().ConfigureServices(s => s.AddSharpTunWireGuard(conf, null)).Build();
        var e = await Assert.ThrowsAsync<FileNotFoundException>(() => host.StartAsync());
        Assert.Equal($"cannot read config '{conf}': no such file", e.Message);
    }
}
