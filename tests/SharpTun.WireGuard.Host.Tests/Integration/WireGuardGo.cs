namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// wireguard-go (<c>-f</c>, foreground) in a lab host, configured only with the stock tools:
/// <c>wg setconf</c> for keys and peers, <c>ip</c> for addresses and link state.
/// </summary>
internal sealed class WireGuardGo : WgNode
{
    /// <summary>Debian's package.</summary>
    internal const string Debian = "/usr/bin/wireguard-go";

    /// <summary>
    /// The newest upstream build in <c>../shared/tools/wireguard-go/</c> beside the repository (as CI
    /// has it; see its README), or SHARPTUN_WIREGUARD_GO_UPSTREAM; may be absent.
    /// </summary>
    internal static string Upstream =>
        Environment.GetEnvironmentVariable("SHARPTUN_WIREGUARD_GO_UPSTREAM") is { Length: > 0 } p
            ? p
            : Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", "tools", "wireguard-go", "wireguard-go"));

    private readonly Daemon _process;
    private readonly string _confFile;

    private WireGuardGo(LabHost host, string name, WgConfig config, Daemon process, string confFile) : base(host, name, config)
    {
        _process = process;
        _confFile = confFile;
    }

    internal override Daemon Process => _process;

    internal static WireGuardGo Start(LabHost host, WgConfig config, string binary)
    {
        if (!File.Exists(binary))
        {
            throw new FileNotFoundException($"wireguard-go is not installed at {binary} (apt-get install -y --no-install-recommends wireguard-go)");
        }
        var name = UniqueName.Next("wgg");
        var confFile = Path.Combine(Path.GetTempPath(), name + ".setconf");
        var process = Daemon.StartIn(host.Name, binary, ["-f", name],
            new Dictionary<string, string> { ["WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD"] = "1", ["LOG_LEVEL"] = "error" });
        var node = host.Own(new WireGuardGo(host, name, config, process, confFile));
        process.WaitUntil(() => Uapi.Answers(name), $"wireguard-go UAPI socket {node.SocketPath}", TimeSpan.FromSeconds(30));
        node.SetConf(config);
        foreach (var a in config.Addresses)
        {
            host.Ns.Ip(a.Contains(':') ? $"addr add {a} dev {name} nodad" : $"addr add {a} dev {name}");
        }
        host.Ns.Ip($"link set {name} up");
        return node;
    }

    /// <summary><c>wg setconf NAME FILE</c> with <paramref name="config"/>.</summary>
    internal void SetConf(WgConfig config)
    {
        File.WriteAllText(_confFile, config.SetConf());
        Wg("setconf", Name, _confFile);
        Config = config;
    }

    public override void Dispose()
    {
        _process.Dispose();
        DeleteStaleSocket();
        File.Delete(_confFile);
    }
}
