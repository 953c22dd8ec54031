using System.Net;
using SharpTun.Linux.Net;
using SharpTun.Linux.Netlink;
using SharpTun.Linux.Tun;
using SharpTun.Netlink;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// <c>wg-quick up</c> in-process: creates the tun device named after the configuration, starts the
/// WireGuard interface on it, configures addresses, MTU and routes over rtnetlink (a /0 with Table = auto:
/// wg-quick's fwmark table, rules and nftables, <see cref="FullTunnel"/>), serves the UAPI socket, applies
/// DNS and runs the hooks. <see cref="Dispose"/> is <c>wg-quick down</c>: PreDown, SaveConfig, the UAPI
/// socket, the interface and its device (its routes and addresses go with it), the full tunnel's rules,
/// nftables tables and sysctl, DNS, PostDown, the pid file — exactly what up made, in reverse.
/// </summary>
public sealed class WireGuardHost : IDisposable
{
    private HostConfig _config;
    // SaveConfig's part of the parsed file, kept instead of the whole (issue 20): its [Interface] and the peers with a TcpEndpoint.
    private WireGuardInterfaceConfig? _savedInterface;
    private List<WireGuardPeerConfig> _savedTcpPeers = [];
    private readonly HostLog _log;
    private readonly DnsSetup _dns;
    private WireGuardInterface? _interface;
    private UapiServer? _uapi;
    private RtNetlinkClient? _netlink;
    private NetworkSetup? _network;
    private bool _pidWritten;
    private int _disposed;

    private WireGuardHost(HostConfig config, HostLog log)
    {
        _config = config;
        _log = log;
        _dns = new DnsSetup(config.Name, log);
    }

    /// <summary>The running interface.</summary>
    public WireGuardInterface Interface => _interface ?? throw new InvalidOperationException("the host is not up");

    /// <summary>The UAPI socket path.</summary>
    public string UapiPath => UapiServer.PathFor(_config.Name, _uapiDirectory);

    /// <summary>Notes for the user (DNS not applied, …) collected during up.</summary>
    public IReadOnlyList<string> Notes => _notes;

    private readonly List<string> _notes = [];
    private string _uapiDirectory = UapiServer.SocketDirectory;

    /// <summary>
    /// Brings the interface up. On any failure everything made so far is removed again and the error
    /// names the object and the cause. <paramref name="bindFactory"/>: how to open the UDP socket
    /// (default: <see cref="DefaultBind"/>).
    /// </summary>
    public static WireGuardHost Up(HostConfig config, HostLog log, BindFactory? bindFactory = null,
        string uapiDirectory = UapiServer.SocketDirectory, string pidDirectory = PidFile.Directory, IPEndPoint? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(log);
        InterfaceName.Validate(config.Name, "WireGuard interface");
        // Of exact size (LINQ's growing buffers would stay in the shared array pool, issue 20).
        var allowed = new List<IPNetwork>(config.Peers.Sum(p => p.AllowedIps.Count));
        foreach (var p in config.Peers)
        {
            allowed.AddRange(p.AllowedIps);
        }
        var host = new WireGuardHost(config, log) { _uapiDirectory = uapiDirectory, _metricsEndpoint = metrics };
        try
        {
            host.Bring(bindFactory ?? DefaultBind, uapiDirectory, pidDirectory, allowed);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Throws when interface <paramref name="name"/> is up already: a link of that name exists, or a live
    /// process serves its UAPI socket. What <c>wg up</c> checks before it creates (or truncates) anything.
    /// </summary>
    public static void EnsureNotUp(string name, string uapiDirectory = UapiServer.SocketDirectory)
    {
        using var netlink = RtNetlink.Open();
        EnsureNotUp(name, netlink, uapiDirectory);
    }

    private static void EnsureNotUp(string name, RtNetlinkClient netlink, string uapiDirectory)
    {
        if (netlink.FindLink(name) is not null)
        {
            throw new IOException($"cannot bring up interface '{name}': a link with that name already exists");
        }
        var socket = UapiServer.PathFor(name, uapiDirectory);
        if (File.Exists(socket) && UapiServer.IsLive(socket))
        {
            throw new IOException($"cannot bring up interface '{name}': another process serves its UAPI socket {socket}");
        }
    }

    /// <summary>The batched Linux bind (recvmmsg/sendmmsg, IP_PKTINFO) on a dual-stack socket, with SO_MARK when <paramref name="fwmark"/> is set.</summary>
    public static IDatagramBind DefaultBind(ushort port, uint fwmark) =>
        UdpBind.Open(new UdpBindOptions { Port = port, FirewallMark = fwmark == 0 ? null : fwmark });

    /// <summary>
    /// Creates the interface's tun device, with a virtio-net header and every offload the kernel takes
    /// when <paramref name="offloads"/> is on (the kernel may refuse some; none is not an error).
    /// </summary>
    public static TunDevice OpenTun(string name, bool offloads = true) =>
        TunDevice.Open(new TunOptions
        {
            Name = name,
            Mode = TunMode.Tun,
            Exclusive = true,
            VnetHdr = offloads,
            Offloads = offloads ? PacketOffloads.Checksum | PacketOffloads.TcpSegmentation | PacketOffloads.UdpSegmentation : PacketOffloads.None,
        });

    private void Bring(BindFactory bindFactory, string uapiDirectory, string pidDirectory, List<IPNetwork> allowed)
    {
        var name = _config.Name;
        _netlink = RtNetlink.Open();
        EnsureNotUp(name, _netlink, uapiDirectory);
        // A full tunnel whose daemon was killed with -9 left rules, nftables tables and a sysctl behind.
        if (FullTunnel.RemoveStale(_netlink, name, pidDirectory))
        {
            _log.Info(name, "removed the full-tunnel rules a previous instance left behind");
        }
        // Resolve before creating anything: a name that does not resolve fails up cleanly.
        var endpoints = _config.Peers.Select(p => p.Endpoint is null ? (NetEndpoint?)null
            : EndpointResolver.Resolve(p.Endpoint, $"{p.Origin ?? name}: Endpoint")).ToList();
        var tcpEndpoints = TransportSetup.ResolveTcpEndpoints(_config);

        HookRunner.Run("PreUp", _config.PreUp, name, _log, stopOnFailure: true);
        // wg-quick's add_default: Table = auto and a /0 route through the tunnel need a table and fwmark of their own.
        var defaults = _config.Table is null ? allowed.Where(p => p.PrefixLength == 0).Distinct().ToList() : [];
        var fwmark = defaults.Count > 0 ? FullTunnel.PickTable(_netlink, _config.FwMark) : _config.FwMark;
        var tun = OpenTun(name, _config.TunOffloads);
        try
        {
            _interface = new WireGuardInterface(tun, _config.PrivateKey, TransportSetup.Wrap(bindFactory, _config, _log), _config.ListenPort, fwmark, _log);
            if (_config.Workers is { } workers)
            {
                _interface.Workers = workers;
            }
        }
        catch (PacketIOException e)
        {
            tun.Dispose();
            // The UDP socket: name the interface and where its port comes from, not only the address.
            var origin = _config.Origin is null ? "" : $" in {_config.Origin}";
            throw new IOException($"cannot bring up interface '{name}': ListenPort {_config.ListenPort}{origin}: {e.Message}", e);
        }
        catch
        {
            tun.Dispose();
            throw;
        }
        for (var i = 0; i < _config.Peers.Count; i++)
        {
            var p = _config.Peers[i];
            _interface.SetPeer(p.PublicKey, p.PresharedKey, endpoints[i], p.PersistentKeepalive, replaceAllowedIps: false, p.AllowedIps);
        }
        var mtu = _config.Mtu ?? NetworkSetup.AutoMtu(_netlink, endpoints.Where(e => e is not null).Select(e => e!.Value.ToIPEndPoint().Address));
        TransportSetup.Apply(_interface, _config, tcpEndpoints, mtu);
        _network = new NetworkSetup(_netlink, name);
        _network.ConfigureLink(_config.Addresses, mtu);
        tun.UpdateMtu(mtu);
        _network.AddRoutes(allowed, _config.Table);
        if (defaults.Count > 0)
        {
            _fullTunnel = FullTunnel.Begin(_netlink, name, fwmark, pidDirectory);
            // wg-quick's order (sort -nr -k 2 -t /: equal lengths compare as text, reversed): ::/0 before 0.0.0.0/0.
            foreach (var prefix in defaults.OrderByDescending(p => p.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6))
            {
                _fullTunnel.AddDefault(prefix);
            }
            _log.Info(name, $"default route through the tunnel: table {fwmark}, fwmark 0x{fwmark:x} on its UDP socket ({string.Join(", ", defaults)})");
        }
        _interface.Start();
        var peerCount = _config.Peers.Count;
        if (_config.SaveConfig)
        {
            _savedInterface = _config.Source?.Interface;
            _savedTcpPeers = ConfigSaver.TcpPeers(_config.Source);
        }
        _config = _config.WithoutPeers(); // the peers live in the interface now
        if (peerCount >= WireGuardInterface.CompactAfterPeers)
        {
            _interface.CompactSoon(); // the parsed file and the route requests are garbage now (once the caller drops its config too)
        }
        _watcher = new InterfaceWatcher(_interface, _log);
        _watcher.Start();
        if (_metricsEndpoint is { } metricsAt)
        {
            _metrics = new WireGuardMetrics();
            _metrics.Add(_interface);
            _metricsServer = MetricsServer.Start(_metrics, metricsAt);
            _log.Info(name, $"metrics at {_metricsServer.Url}");
        }
        var uapi = new UapiHandler(_interface, _log);
        _uapi = UapiServer.Start(name, uapi.Handle, _log, uapiDirectory, uapi.Stream, _interface.WriteGet);
        PidFile.Write(name, pidDirectory);
        _pidDirectory = pidDirectory;
        _pidWritten = true;
        if (_dns.Apply(_config.Dns) is { } note)
        {
            _notes.Add(note);
            _log.Info(name, note);
        }
        HookRunner.Run("PostUp", _config.PostUp, name, _log, stopOnFailure: true);
        _up = true;
        _log.Info(name, $"up: {peerCount} peer(s), UDP port {_interface.ActualListenPort}, mtu {mtu}, UAPI {_uapi.Path}");
    }

    private string _pidDirectory = PidFile.Directory;
    private FullTunnel? _fullTunnel;
    private bool _up;
    private IPEndPoint? _metricsEndpoint;
    private InterfaceWatcher? _watcher;
    private WireGuardMetrics? _metrics;
    private MetricsServer? _metricsServer;

    /// <summary>Completes when the interface stopped by itself (device deleted, socket broken).</summary>
    public Task Completion => _interface?.Completion ?? Task.CompletedTask;

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        var name = _config.Name;
        if (_up)
        {
            HookRunner.Run("PreDown", _config.PreDown, name, _log, stopOnFailure: false);
        }
        if (_up && _config.SaveConfig && _interface is not null)
        {
            SaveConfig();
        }
        _metricsServer?.Dispose();
        _metrics?.Dispose();
        _watcher?.Dispose();
        _uapi?.Dispose();
        _interface?.Dispose(); // closes the tun fd: the device, its addresses and routes disappear
        if (_netlink?.FindLink(name) is not null)
        {
            _network?.Undo();
        }
        RemoveFullTunnel();
        _netlink?.Dispose();
        _dns.Revert();
        if (_up)
        {
            HookRunner.Run("PostDown", _config.PostDown, name, _log, stopOnFailure: false);
        }
        if (_pidWritten)
        {
            PidFile.Remove(name, directory: _pidDirectory);
        }
        _log.Info(name, "down");
    }

    private void RemoveFullTunnel()
    {
        try
        {
            _fullTunnel?.Remove();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // 'sharptun wg down' finishes from the record once this process is gone (e.g. after --user).
            _log.Error(_config.Name, e.Message);
        }
    }

    private void SaveConfig()
    {
        if (_config.ConfigPath is not { } path)
        {
            _log.Warning(_config.Name, "SaveConfig = true, but the configuration did not come from a file: nothing saved");
            return;
        }
        try
        {
            var text = ConfigSaver.Compose(_savedInterface, _savedTcpPeers, _interface!.Snapshot(), _netlink!.GetAddresses(_config.Name), _netlink.FindLink(_config.Name)?.Mtu);
            ConfigSaver.Write(path, text);
            _log.Info(_config.Name, $"SaveConfig: running configuration written to {path}");
        }
        catch (UnauthorizedAccessException)
        {
            _log.Error(_config.Name, $"SaveConfig: cannot write {path}: permission denied (after 'wg up --user' the process no longer runs as root; save it with 'wg showconf {_config.Name}' before down)");
        }
        catch (Exception e) when (e is IOException or NetlinkException)
        {
            _log.Error(_config.Name, $"SaveConfig: cannot write {path}: {e.Message}");
        }
    }
}
