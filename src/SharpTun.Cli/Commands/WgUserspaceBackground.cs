using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using SharpTun.Linux;
using SharpTun.WireGuard.Host;

namespace SharpTun.Cli.Commands;

/// <summary>
/// <c>wg userspace IFNAME</c> without -f, as wireguard-go detaches: the device and the UAPI socket are
/// made here (so every error about them is this process' error), handed to a copy of this program run in a
/// new session (setsid, stdin /dev/null) through WG_TUN_FD/WG_UAPI_FD with WG_PROCESS_FOREGROUND=1, and
/// this process exits 0 once the copy answers <c>get=1</c> on the socket — or 1 when it exited first,
/// removing the device and the socket file again. A .NET process cannot fork, so the copy is a new exec.
/// </summary>
internal static class WgUserspaceBackground
{
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(60);

    internal static int Start(string name, HostLogLevel level, int? workers = null)
    {
        using var tun = WgUserspaceCommand.OpenDevice(name);
        // Not disposed on success: disposing a bound unix socket unlinks its file, which the child serves on.
        var listener = WgUserspaceCommand.OpenUapi(name);
        try
        {
            return Run(name, level, tun, listener, workers);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    private static int Run(string name, HostLogLevel level, SharpTun.Linux.Tun.TunDevice tun, Socket listener, int? workers)
    {
        var socketPath = UapiServer.PathFor(name);
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find this program's path to start it in the background");
        List<string> command = [self];
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            command.Add(Path.Combine(AppContext.BaseDirectory, "sharptun.dll")); // under the dotnet host
        }
        command.AddRange(["wg", "userspace"]);
        if (workers is { } n)
        {
            command.AddRange(["--workers", n.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
        command.Add(name); // last, as wireguard-go's: what finds the daemon by its command line looks there
        // wireguard-go keeps stdout/stderr for the detached copy only when LOG_LEVEL asks for logs.
        var keepOutput = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(WgUserspaceCommand.LogLevelVariable)) && level != HostLogLevel.Silent;
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(keepOutput ? "exec setsid \"$@\" </dev/null" : "exec setsid \"$@\" </dev/null >/dev/null 2>&1");
        psi.ArgumentList.Add("sh");
        foreach (var c in command)
        {
            psi.ArgumentList.Add(c);
        }
        psi.Environment[WgUserspaceCommand.TunFdVariable] = InheritedDescriptor.Inherit(tun.Handle, $"device '{name}'").ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment[WgUserspaceCommand.UapiFdVariable] = InheritedDescriptor.Inherit(listener.SafeHandle, $"UAPI socket {socketPath}").ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment[WgUserspaceCommand.ForegroundVariable] = "1";
        // No diagnostics re-exec in the copy: it would close the descriptors it is handed.
        psi.Environment[Diagnostics.Variable] = Environment.GetEnvironmentVariable(Diagnostics.Variable) ?? "0";
        using var child = Process.Start(psi) ?? throw new IOException($"cannot start the background process for interface '{name}'");
        var deadline = DateTime.UtcNow + s_readyTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (child.WaitForExit(50))
            {
                listener.Dispose();
                RemoveSocketFile(socketPath);
                Console.Error.WriteLine($"sharptun: interface '{name}' did not start: the background process exited with status {child.ExitCode}"
                    + (keepOutput ? "" : $" (its output goes to /dev/null: run 'sharptun wg userspace -f {name}' or set LOG_LEVEL=error to see why)"));
                return CliRunner.Failed;
            }
            if (Answers(socketPath))
            {
                // Our copies of the descriptors close here; the device and the socket live on in the child.
                return CliRunner.Ok;
            }
        }
        Console.Error.WriteLine($"sharptun: interface '{name}' did not answer on {socketPath} within {s_readyTimeout.TotalSeconds:0} s (background process {child.Id} still running)");
        return CliRunner.Failed;
    }

    /// <summary>True when the socket answers <c>get=1</c> with errno=0: the copy serves the interface.</summary>
    private static bool Answers(string path)
    {
        using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            s.ReceiveTimeout = 1000;
            s.Connect(new UnixDomainSocketEndPoint(path));
            s.Send("get=1\n\n"u8);
            var answer = new StringBuilder();
            var buffer = new byte[4096];
            while (!answer.ToString().Contains("errno=", StringComparison.Ordinal))
            {
                var n = s.Receive(buffer);
                if (n == 0)
                {
                    break;
                }
                answer.Append(Encoding.UTF8.GetString(buffer, 0, n));
            }
            return answer.ToString().Contains("errno=0\n", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static void RemoveSocketFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
