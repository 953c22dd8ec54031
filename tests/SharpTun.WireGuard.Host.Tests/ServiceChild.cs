namespace SharpTun.WireGuard.Host.Tests;

/// <summary>
/// The test assembly as a program, for what cannot run inside the test process (a privilege drop changes
/// every thread of the process): <c>dotnet SharpTun.WireGuard.Host.Tests.dll service CONF PIDDIR UAPIDIR USER</c>
/// runs a <see cref="WireGuardService"/> on the main thread until SIGINT/SIGTERM; exit 0 after a signalled stop.
/// </summary>
internal static class ServiceChild
{
    public static int Main(string[] args)
    {
        if (args is not ["service", var conf, var pidDir, var uapiDir, var user])
        {
            Console.Error.WriteLine("usage: SharpTun.WireGuard.Host.Tests.dll service CONF PIDDIR UAPIDIR USER");
            return 2;
        }
        var service = new WireGuardService(WireGuardService.LoadConfig(conf), new WireGuardServiceOptions
        {
            User = user,
            HandleSignals = true,
            PidDirectory = pidDir,
            UapiDirectory = uapiDir,
            LogLevel = HostLogLevel.Debug,
        });
        var why = service.Run();
        Console.Out.WriteLine($"stopped: {why}");
        return why is WireGuardServiceStop.Interrupted or WireGuardServiceStop.Terminated ? 0 : 1;
    }
}
