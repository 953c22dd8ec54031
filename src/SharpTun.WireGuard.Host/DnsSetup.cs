using System.Diagnostics;
using System.Net;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// DNS = as wg-quick applies it: through <c>resolvconf -a IF -m 0 -x</c> (nameserver/search lines on
/// stdin), else systemd-resolved's <c>resolvectl dns/domain</c>; with neither, a clear note and nothing
/// changed. <see cref="Revert"/> undoes what was applied.
/// </summary>
internal sealed class DnsSetup
{
    private readonly string _interface;
    private readonly HostLog _log;
    private string? _applied;

    /// <summary>DNS for <paramref name="interfaceName"/>.</summary>
    public DnsSetup(string interfaceName, HostLog log)
    {
        _interface = interfaceName;
        _log = log;
    }

    /// <summary>Applies servers (IP addresses) and search domains (anything else); returns a note for the user when nothing could be applied.</summary>
    public string? Apply(IReadOnlyList<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return null;
        }
        var servers = entries.Where(e => IPAddress.TryParse(e, out _)).ToList();
        var domains = entries.Where(e => !IPAddress.TryParse(e, out _)).ToList();
        if (Find("resolvconf") is { } resolvconf)
        {
            var input = string.Concat(servers.Select(s => $"nameserver {s}\n")) + (domains.Count > 0 ? $"search {string.Join(' ', domains)}\n" : "");
            Exec(resolvconf, ["-a", _interface, "-m", "0", "-x"], input);
            _applied = resolvconf;
            return null;
        }
        if (Find("resolvectl") is { } resolvectl)
        {
            Exec(resolvectl, ["dns", _interface, .. servers], null);
            if (domains.Count > 0)
            {
                Exec(resolvectl, ["domain", _interface, .. domains], null);
            }
            _applied = resolvectl;
            return null;
        }
        return $"DNS = {string.Join(", ", entries)} was not applied: neither resolvconf nor resolvectl is installed; configure the resolver by hand";
    }

    /// <summary>Undoes <see cref="Apply"/> (errors are logged, not thrown: down must go on).</summary>
    public void Revert()
    {
        if (_applied is null)
        {
            return;
        }
        try
        {
            if (_applied.EndsWith("resolvconf", StringComparison.Ordinal))
            {
                Exec(_applied, ["-d", _interface, "-f"], null);
            }
            else
            {
                Exec(_applied, ["revert", _interface], null);
            }
        }
        catch (IOException e)
        {
            _log.Error(_interface, e.Message);
        }
        _applied = null;
    }

    private static string? Find(string tool) =>
        new[] { "/usr/sbin", "/usr/bin", "/sbin", "/bin" }.Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);

    private void Exec(string file, IEnumerable<string> args, string? stdin)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardInput = stdin is not null, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi) ?? throw new IOException($"cannot start {file}");
        if (stdin is not null)
        {
            p.StandardInput.Write(stdin);
            p.StandardInput.Close();
        }
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new IOException($"interface '{_interface}': DNS: {Path.GetFileName(file)} {string.Join(' ', psi.ArgumentList)} failed (exit {p.ExitCode}): {err.Trim()}");
        }
        _log.Info(_interface, $"DNS applied with {Path.GetFileName(file)}");
    }
}
