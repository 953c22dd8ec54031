namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// <c>sharptun wg up FILE</c> for the transport tests: the config is <see cref="WgConfig.WgQuick"/>
/// plus SharpTun's own keys (TcpListenPort after ListenPort, TcpEndpoint after each peer's
/// PublicKey), the daemon gets test timings through its environment, and it logs at debug.
/// Ready when its UAPI socket answers and its addresses are on the link.
/// </summary>
internal sealed class TransportNode : WgNode
{
    private readonly string _dir;
    private readonly Daemon _process;

    private TransportNode(LabHost host, string name, WgConfig config, string dir, Daemon process) : base(host, name, config)
    {
        _dir = dir;
        _process = process;
    }

    internal override Daemon Process => _process;

    /// <summary>Everything the daemon logged so far.</summary>
    internal string Log => _process.Output;

    internal static TransportNode Start(LabHost host, WgConfig config, int? tcpListenPort, IReadOnlyDictionary<string, string>? tcpEndpoints,
        IDictionary<string, string>? env = null, string? mtu = null)
    {
        var name = UniqueName.Next("wgt");
        var dir = Directory.CreateTempSubdirectory("sharptun-wgtcp-").FullName;
        var lines = new List<string>();
        foreach (var line in config.WgQuick().Split('\n'))
        {
            lines.Add(line);
            if (line.StartsWith("ListenPort = ", StringComparison.Ordinal))
            {
                if (tcpListenPort is { } tcp)
                {
                    lines.Add($"TcpListenPort = {tcp}");
                }
                if (mtu is not null)
                {
                    lines.Add($"MTU = {mtu}");
                }
            }
            if (line.StartsWith("PublicKey = ", StringComparison.Ordinal) && tcpEndpoints is not null
                && tcpEndpoints.TryGetValue(line["PublicKey = ".Length..], out var te))
            {
                lines.Add($"TcpEndpoint = {te}");
            }
        }
        var path = Path.Combine(dir, name + ".conf");
        File.WriteAllText(path, string.Join('\n', lines));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var process = Daemon.StartIn(host.Name, "dotnet", Repo.Cli("wg", "up", path, "--log-level", "debug"), env);
        var node = new TransportNode(host, name, config, dir, process);
        host.Own(node);
        process.WaitUntil(() => Uapi.Answers(name), $"UAPI socket of {name} to answer", TimeSpan.FromSeconds(60));
        process.WaitUntil(() => config.Addresses.All(a => LinkStats.Addresses(host, name).Contains(a)), $"addresses on {name}", TimeSpan.FromSeconds(30));
        return node;
    }

    /// <summary>The endpoint this node's <c>wg show dump</c> has for <paramref name="peer"/>.</summary>
    internal string EndpointOf(WgNode peer) => Dump().Peer(peer.PublicKey).Endpoint;

    public override void Dispose()
    {
        _process.Dispose();
        DeleteStaleSocket();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
