using System.Diagnostics;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// PreUp/PostUp/PreDown/PostDown as wg-quick runs them: each line through <c>/bin/sh -c</c> with every
/// <c>%i</c> replaced by the interface name, output passed through, in order.
/// </summary>
internal static class HookRunner
{
    /// <summary>
    /// Runs <paramref name="commands"/>; with <paramref name="stopOnFailure"/> (the up hooks) the first
    /// non-zero exit throws naming the hook, the command and the exit status; otherwise failures are logged.
    /// </summary>
    public static void Run(string hook, IReadOnlyList<string> commands, string interfaceName, HostLog log, bool stopOnFailure)
    {
        ArgumentNullException.ThrowIfNull(commands);
        ArgumentNullException.ThrowIfNull(log);
        foreach (var command in commands)
        {
            var line = command.Replace("%i", interfaceName, StringComparison.Ordinal);
            log.Info(interfaceName, $"{hook}: {line}");
            var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(line);
            using var p = Process.Start(psi) ?? throw new IOException($"{hook}: cannot start /bin/sh");
            p.WaitForExit();
            if (p.ExitCode != 0)
            {
                var message = $"{hook} command '{line}' failed with exit status {p.ExitCode}";
                if (stopOnFailure)
                {
                    throw new IOException($"interface '{interfaceName}': {message}");
                }
                log.Error(interfaceName, message);
            }
        }
    }
}
