using SharpTun.WireGuard;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>
/// wireguard-go (the Debian package, or $SHARPTUN_WIREGUARD_GO) serving interface <see cref="Interface"/>
/// inside a namespace, configured with the stock <c>wg</c>. Deleting the interface makes it exit.
/// </summary>
internal sealed class WireGuardGoPeer : IDisposable
{
    private readonly NetNs _ns;
    private readonly System.Diagnostics.Process _process;
    private readonly string _keyFile;

    internal WireGuardGoPeer(NetNs ns, string interfaceName, byte[] privateKey, ushort listenPort, string address)
    {
        _ns = ns;
        Interface = interfaceName;
        _keyFile = Path.Combine(Path.GetTempPath(), interfaceName + ".key");
        var binary = Environment.GetEnvironmentVariable("SHARPTUN_WIREGUARD_GO") is { Length: > 0 } b ? b : "wireguard-go";
        _process = ns.Start(binary, ["-f", interfaceName],
            new Dictionary<string, string> { ["WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD"] = "1" });
        var sock = $"/var/run/wireguard/{interfaceName}.sock";
        Poll.Until(() => File.Exists(sock) || _process.HasExited, $"wireguard-go UAPI socket {sock}", TimeSpan.FromSeconds(20));
        Assert.False(_process.HasExited, "wireguard-go exited at start");
        File.WriteAllText(_keyFile, WireGuardKeys.ToBase64(privateKey) + "\n");
        Wg("set", interfaceName, "private-key", _keyFile, "listen-port", listenPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        ns.Ip($"addr add {address} dev {interfaceName}");
        ns.Ip($"link set {interfaceName} up");
    }

    internal string Interface { get; }

    internal string Wg(params string[] args) => _ns.Exec("wg", args).EnsureSuccess().StdOut;

    public void Dispose()
    {
        Run.Exec("ip", ["-n", _ns.Name, "link", "del", Interface]);
        if (!_process.WaitForExit(10_000))
        {
            _process.Kill();
        }
        File.Delete(_keyFile);
        var sock = $"/var/run/wireguard/{Interface}.sock";
        if (File.Exists(sock) && !UapiServer.IsLive(sock))
        {
            File.Delete(sock);
        }
    }
}
