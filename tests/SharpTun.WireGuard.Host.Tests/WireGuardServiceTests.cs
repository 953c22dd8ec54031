using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using SharpTun.Linux.Namespaces;
using SharpTun.WireGuard;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>
/// The public service API (<see cref="WireGuardService"/>): a wg-quick file brought up in a namespace this test
/// made, READY=1/STOPPING=1 to a notify socket the test listens on, the pid file while it runs, everything gone
/// after the token is cancelled; start errors before anything is made.
/// </summary>
public sealed class WireGuardServiceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharptun-service-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteConfig(string name, string address = "198.19.0.1/24")
    {
        var path = Path.Combine(_dir, name + ".conf");
        var key = WireGuardKeys.ToBase64(WireGuardKeys.GeneratePrivateKey());
        var peer = WireGuardKeys.ToBase64(WireGuardKeys.PublicKey(WireGuardKeys.GeneratePrivateKey()));
        File.WriteAllText(path, $"[Interface]\nPrivateKey = {key}\nAddress = {address}\n\n[Peer]\nPublicKey = {peer}\nAllowedIPs = 198.19.0.2/32\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    [RootFact]
    public void Run_UpUntilTheTokenIsCancelled_PidFileAndNotifications_ThenEverythingGone()
    {
        using var ns = NetNs.Create("stsv");
        var name = UniqueName.Next("wsv");
        var config = WireGuardService.LoadConfig(WriteConfig(name));
        var pidDir = Path.Combine(_dir, "run");
        var uapiDir = Path.Combine(_dir, "uapi");
        var notifyPath = Path.Combine(_dir, "notify.sock");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(notifyPath));
        notify.ReceiveTimeout = 60_000;
        var log = new StringWriter();
        using var factory = new LoggerFactory([new LineLoggerProvider(log, journal: true, LogLevel.Debug)]);
        var service = new WireGuardService(config, new WireGuardServiceOptions
        {
            LoggerFactory = factory,
            NotifySocket = notifyPath,
            PidDirectory = pidDir,
            UapiDirectory = uapiDir,
            BindFactory = (port, mark) => NetNamespace.Run(ns.Name, () => WireGuardHost.DefaultBind(port, mark)),
        });
        using var cts = new CancellationTokenSource();
        var run = NetNamespace.RunAsync(ns.Name, () => service.Run(cts.Token));
        try
        {
            Assert.True(service.Ready.Wait(TimeSpan.FromSeconds(60)), $"not up within 60 s:\n{log}");
            var buffer = new byte[512];
            string Next() => Encoding.UTF8.GetString(buffer, 0, notify.Receive(buffer));
            var ready = Next();
            Assert.StartsWith($"READY=1\nSTATUS=interface {name} up, UDP port ", ready);
            // At READY=1: the pid file names this process, the link has its address, the UAPI socket answers.
            Assert.Equal(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n", File.ReadAllText(Path.Combine(pidDir, name + ".pid")));
            Assert.Contains("198.19.0.1/24", ns.Ip($"-br addr show dev {name}"));
            var port = ready[(ready.LastIndexOf(' ') + 1)..];
            Assert.Contains($"listen_port={port}\n", UapiClient.Send(name, "get=1\n\n", uapiDir));
            Assert.False(run.IsCompleted, "the service ended before its token was cancelled");

            cts.Cancel();
            Assert.True(run.Wait(TimeSpan.FromSeconds(60)), $"not down within 60 s of the cancellation:\n{log}");
            Assert.Equal(WireGuardServiceStop.Cancelled, run.Result);
            Assert.Null(service.Failure);
            Assert.Equal($"STOPPING=1\nSTATUS=interface {name} going down", Next());
            Assert.False(File.Exists(Path.Combine(pidDir, name + ".pid")), "pid file left behind");
            Assert.False(File.Exists(Path.Combine(uapiDir, name + ".sock")), "UAPI socket left behind");
            Assert.NotEqual(0, ns.Exec("ip", ["link", "show", name]).ExitCode);
            // The journal-style lines went to the caller's logger factory.
            var lines = log.ToString();
            Assert.Contains($"<6>{name}: up: 1 peer(s), UDP port {port}", lines);
            Assert.Contains($"<6>{name}: down", lines);
        }
        finally
        {
            cts.Cancel();
            run.Wait(TimeSpan.FromSeconds(60));
        }
    }

    [RootFact]
    public void Run_DeviceDeletedUnderIt_StopsByItself_AndCleansUp()
    {
        using var ns = NetNs.Create("stsd");
        var name = UniqueName.Next("wsd");
        var pidDir = Path.Combine(_dir, "run");
        var uapiDir = Path.Combine(_dir, "uapi");
        var stopping = WireGuardServiceStop.Cancelled;
        var service = new WireGuardService(WireGuardService.LoadConfig(WriteConfig(name)), new WireGuardServiceOptions
        {
            LogLevel = HostLogLevel.Silent,
            NotifySocket = "",
            PidDirectory = pidDir,
            UapiDirectory = uapiDir,
            BindFactory = (port, mark) => NetNamespace.Run(ns.Name, () => WireGuardHost.DefaultBind(port, mark)),
            Stopping = (host, why) => stopping = why,
        });
        using var cts = new CancellationTokenSource();
        var run = NetNamespace.RunAsync(ns.Name, () => service.Run(cts.Token));
        try
        {
            Assert.True(service.Ready.Wait(TimeSpan.FromSeconds(60)), "not up within 60 s");
            ns.Ip($"link del {name}");
            Assert.True(run.Wait(TimeSpan.FromSeconds(60)), "the service did not notice its device was deleted within 60 s");
            Assert.Equal(WireGuardServiceStop.InterfaceStopped, run.Result);
            Assert.Equal(WireGuardServiceStop.InterfaceStopped, stopping);
            Assert.False(File.Exists(Path.Combine(pidDir, name + ".pid")), "pid file left behind");
            Assert.False(File.Exists(Path.Combine(uapiDir, name + ".sock")), "UAPI socket left behind");
        }
        finally
        {
            cts.Cancel();
            run.Wait(TimeSpan.FromSeconds(60));
        }
    }

    [RootFact]
    public void Run_AsNobody_EveryThreadDropped_ItsOwnKeepsNetAdmin_TeardownAfterSigint()
    {
        // CAP_NET_BIND_SERVICE (10) | CAP_NET_ADMIN (12): what the service's thread keeps for the teardown.
        const ulong kept = (1UL << 10) | (1UL << 12);
        using var ns = NetNs.Create("stsp");
        var name = UniqueName.Next("wsp");
        var conf = WriteConfig(name);
        // nobody must reach the pid and socket directories to remove its files at the end.
        var pidDir = Directory.CreateDirectory(Path.Combine(_dir, "run")).FullName;
        var uapiDir = Directory.CreateDirectory(Path.Combine(_dir, "uapi")).FullName;
        const UnixFileMode all = (UnixFileMode)0x1FF;
        File.SetUnixFileMode(_dir, (UnixFileMode)0x1ED);
        File.SetUnixFileMode(pidDir, all);
        File.SetUnixFileMode(uapiDir, all);
        using var child = Daemon.StartIn(ns.Name, "dotnet", [typeof(ServiceChild).Assembly.Location, "service", conf, pidDir, uapiDir, "nobody"]);
        child.WaitForOutput($"{name}: running as user 'nobody' (uid 65534, gid ", TimeSpan.FromSeconds(60));

        // The main thread runs the service: nobody with exactly the two kept capabilities; every other thread none.
        var main = File.ReadAllText($"/proc/{child.Pid}/status");
        Assert.Equal("65534\t65534\t65534\t65534", Field(main, "Uid"));
        Assert.Equal("", Field(main, "Groups"));
        Assert.Equal(kept, Caps(main, "CapEff"));
        foreach (var task in Directory.GetDirectories($"/proc/{child.Pid}/task").Where(t => Path.GetFileName(t) != child.Pid.ToString(CultureInfo.InvariantCulture)))
        {
            var s = File.ReadAllText(Path.Combine(task, "status"));
            Assert.Equal("65534\t65534\t65534\t65534", Field(s, "Uid"));
            Assert.Equal(0UL, Caps(s, "CapEff"));
        }
        Assert.Contains("198.19.0.1/24", ns.Ip($"-br addr show dev {name}"));
        Assert.Equal(child.Pid.ToString(CultureInfo.InvariantCulture) + "\n", File.ReadAllText(Path.Combine(pidDir, name + ".pid")));
        Assert.Contains("errno=0\n", UapiClient.Send(name, "get=1\n\n", uapiDir));

        Assert.True(child.Interrupt(TimeSpan.FromSeconds(60)), $"no exit within 60 s of SIGINT:\n{child.Output}");
        Assert.Equal(0, child.ExitCode);
        Assert.Contains("stopped: Interrupted", child.Output);
        // The teardown ran as nobody with CAP_NET_ADMIN: device, socket and pid file are gone.
        Assert.NotEqual(0, ns.Exec("ip", ["link", "show", name]).ExitCode);
        Assert.False(File.Exists(Path.Combine(uapiDir, name + ".sock")), $"UAPI socket left behind:\n{child.Output}");
        Assert.False(File.Exists(Path.Combine(pidDir, name + ".pid")), $"pid file left behind:\n{child.Output}");
    }

    private static string Field(string status, string key) =>
        status.Split('\n').First(l => l.StartsWith(key + ":", StringComparison.Ordinal))[(key.Length + 1)..].Trim();

    private static ulong Caps(string status, string key) => ulong.Parse(Field(status, key), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    [Fact]
    public void Run_UnknownUser_FailsBeforeAnythingIsMade_AndAServiceRunsOnce()
    {
        var name = UniqueName.Next("wsv");
        var config = WireGuardService.LoadConfig(WriteConfig(name));
        Assert.Equal(name, config.Name);
        var pidDir = Path.Combine(_dir, "run");
        var service = new WireGuardService(config, new WireGuardServiceOptions { User = "no-such-user-sharptun", PidDirectory = pidDir, LogLevel = HostLogLevel.Silent });
        var e = Assert.Throws<ArgumentException>(() => service.Run());
        Assert.Equal("unknown user 'no-such-user-sharptun': not a number and not found in /etc/passwd", e.Message);
        Assert.True(service.Ready.IsFaulted);
        Assert.False(Directory.Exists(pidDir));
        var again = Assert.Throws<InvalidOperationException>(() => service.Run());
        Assert.Equal($"the service of interface '{name}' has run already: a WireGuardService runs once", again.Message);
    }

    [Fact]
    public async Task RunAsync_StartErrorFaultsTheTaskAndReady()
    {
        var config = WireGuardService.LoadConfig(WriteConfig(UniqueName.Next("wsv")));
        var service = new WireGuardService(config, new WireGuardServiceOptions { User = "no-such-user-sharptun", LogLevel = HostLogLevel.Silent });
        var e = await Assert.ThrowsAsync<ArgumentException>(() => service.RunAsync());
        Assert.StartsWith("unknown user 'no-such-user-sharptun'", e.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => service.Ready);
    }

    [Fact]
    public void LoadConfig_MissingFile_NamesIt()
    {
        var path = Path.Combine(_dir, "wgmissing.conf");
        var e = Assert.Throws<FileNotFoundException>(() => WireGuardService.LoadConfig(path));
        Assert.Equal($"cannot read config '{path}': no such file", e.Message);
    }
}
