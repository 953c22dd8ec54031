namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// A running WireGuard interface in a lab host (SharpTun's or wireguard-go's), judged through the stock
/// <c>wg</c> tool on its UAPI socket. Disposed by its host before the namespace goes.
/// </summary>
internal abstract class WgNode : IDisposable
{
    protected WgNode(LabHost host, string name, WgConfig config)
    {
        Host = host;
        Name = name;
        Config = config;
    }

    internal LabHost Host { get; }

    /// <summary>Interface name (also the UAPI socket name).</summary>
    internal string Name { get; }

    internal WgConfig Config { get; set; }

    internal string PublicKey => Config.Key.Public;

    /// <summary>The process serving the interface (changes on restart).</summary>
    internal abstract Daemon Process { get; }

    internal string SocketPath => Uapi.SocketPath(Name);

    /// <summary>Outer endpoint others use to reach this node: v4 "198.18.0.N:port" or v6 "[2001:db8:1::N]:port".</summary>
    internal string Endpoint(bool ipv6 = false) =>
        ipv6 ? $"[{Host.OuterV6}]:{Config.ListenPort}" : $"{Host.OuterV4}:{Config.ListenPort}";

    /// <summary>A [Peer] entry for this node as others configure it.</summary>
    internal WgPeer AsPeer(string allowedIps, bool withEndpoint = true, bool ipv6Endpoint = false) =>
        new(PublicKey, allowedIps, withEndpoint ? Endpoint(ipv6Endpoint) : null);

    /// <summary>Runs <c>wg ARGS</c> in the host's namespace and throws unless it succeeded.</summary>
    internal string Wg(params string[] args) => Host.Must("wg", args).StdOut;

    internal WgDump Dump() => WgDump.Parse(Wg("show", Name, "dump"));

    /// <summary>Polls until peer <paramref name="publicKey"/> reports a handshake newer than <paramref name="after"/> (unix seconds).</summary>
    internal long WaitForHandshake(string publicKey, long after = 0, TimeSpan? timeout = null)
    {
        long seen = 0;
        Process.WaitUntil(() => (seen = Dump().Peer(publicKey).LatestHandshake) > after,
            $"{Name}: a handshake with {publicKey} newer than {after}", timeout ?? TimeSpan.FromSeconds(30));
        return seen;
    }

    /// <summary>The tun's rx counter: packets this node delivered to its kernel.</summary>
    internal long DeliveredPackets() => Host.RxPackets(Name);

    public abstract void Dispose();

    protected void DeleteStaleSocket()
    {
        // Only our own uniquely named socket and pid file: left behind when the daemon was killed with SIGKILL.
        foreach (var f in new[] { SocketPath, $"/run/sharptun/{Name}.pid", $"/run/sharptun/{Name}.log" })
        {
            if (File.Exists(f))
            {
                File.Delete(f);
            }
        }
    }
}
