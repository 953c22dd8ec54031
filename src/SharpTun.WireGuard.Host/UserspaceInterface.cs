using System.Net.Sockets;
using SharpTun.IO;
using SharpTun.Linux.Tun;
using SharpTun.Netlink;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// wireguard-go's contract (<c>wireguard-go IFNAME</c>, what wg-quick runs as
/// $WG_QUICK_USERSPACE_IMPLEMENTATION where there is no kernel module): an unconfigured interface — a tun
/// device, no private key, no peers, a UDP socket on a random port, the link left down — serving
/// /var/run/wireguard/IFNAME.sock for <c>wg</c>. Everything else (keys, peers, addresses, MTU, link up,
/// routes) comes from outside: <c>wg setconf</c>, <c>ip</c>. <see cref="Completion"/> ends when the
/// device is deleted (<c>ip link delete dev IFNAME</c>: the tun read fails with EBADFD, wherever the device
/// lives by then) or a socket breaks; <see cref="Dispose"/> stops it and removes the socket file.
/// <para>Nothing here depends on the namespace the device is in: the tun descriptor follows the device
/// into another namespace (<c>ip link set IFNAME netns NS</c>) and back, while the UDP socket and the
/// UAPI socket stay where they were made, as with wireguard-go (and the kernel module's socket).</para>
/// </summary>
public sealed class UserspaceInterface : IDisposable
{
    private readonly WireGuardInterface _interface;
    private readonly UapiServer _uapi;
    private readonly InterfaceWatcher _watcher;
    private readonly HostLog _log;
    private int _disposed;

    private UserspaceInterface(WireGuardInterface wgInterface, UapiServer uapi, InterfaceWatcher watcher, HostLog log)
    {
        _interface = wgInterface;
        _uapi = uapi;
        _watcher = watcher;
        _log = log;
    }

    /// <summary>The running interface.</summary>
    public WireGuardInterface Interface => _interface;

    /// <summary>The UAPI socket file.</summary>
    public string UapiPath => _uapi.Path;

    /// <summary>Completes when the interface stopped by itself: the device was deleted (<see cref="IsDeviceDeleted"/>) or a socket failed.</summary>
    public Task Completion => _interface.Completion;

    /// <summary>True when <paramref name="stopped"/> (a <see cref="Completion"/>) ended because the device was deleted: the normal end, as for wireguard-go.</summary>
    public static bool IsDeviceDeleted(Task stopped) =>
        stopped is { IsFaulted: true, Exception.InnerException: PacketIOException { Errno: Errno.EBADFD or Errno.ENXIO or Errno.ENODEV } };

    /// <summary>
    /// Creates the tun device <paramref name="name"/> for <see cref="Start"/>: a tun queue with a virtio-net
    /// header and offloads, exclusive (an existing device of that name is an error naming it), MTU 1420 as
    /// wireguard-go makes it (1500 minus the largest WireGuard overhead, 80 bytes over IPv6), link down.
    /// </summary>
    public static TunDevice CreateDevice(string name)
    {
        InterfaceName.Validate(name, "WireGuard interface");
        using var netlink = SharpTun.Linux.Netlink.RtNetlink.Open();
        if (netlink.FindLink(name) is not null)
        {
            throw new IOException($"cannot create interface '{name}': a link with that name already exists");
        }
        var tun = WireGuardHost.OpenTun(name);
        try
        {
            netlink.LinkSetMtu(name, NetworkSetup.DefaultMtu);
            tun.UpdateMtu(NetworkSetup.DefaultMtu);
            return tun;
        }
        catch
        {
            tun.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts the interface on <paramref name="tun"/> with the UAPI socket <paramref name="uapiListener"/>
    /// (from <see cref="UapiServer.Listen"/>, here or in the process that handed them over: WG_TUN_FD,
    /// WG_UAPI_FD). Takes ownership of both, also when it fails. <paramref name="workers"/>: the data-plane threads
    /// (<see cref="WireGuardInterface.Workers"/>, 1..256); null: <see cref="WireGuardInterface.DefaultWorkers"/>.
    /// </summary>
    public static UserspaceInterface Start(TunDevice tun, Socket uapiListener, HostLog log, BindFactory? bindFactory = null,
        string uapiDirectory = UapiServer.SocketDirectory, int? workers = null)
    {
        ArgumentNullException.ThrowIfNull(tun);
        ArgumentNullException.ThrowIfNull(uapiListener);
        ArgumentNullException.ThrowIfNull(log);
        WireGuardInterface? wg = null;
        UapiServer? uapi = null;
        try
        {
            // No private key yet (all zeros), port 0: the kernel picks a random free port, as wireguard-go's
            // bind does for listen_port 0; 'wg setconf' with a ListenPort moves it.
            wg = new WireGuardInterface(tun, new byte[WireGuardKeys.KeySize], bindFactory ?? WireGuardHost.DefaultBind, 0, 0, log);
            if (workers is { } n)
            {
                wg.Workers = n;
            }
            wg.Start();
            var handler = new UapiHandler(wg, log);
            uapi = UapiServer.Serve(uapiListener, tun.Name, handler.Handle, log, uapiDirectory, handler.Stream, wg.WriteGet);
            var watcher = new InterfaceWatcher(wg, log);
            watcher.Start();
            log.Info(tun.Name, $"UAPI listener started ({uapi.Path}); no private key, UDP port {wg.ActualListenPort}, {wg.Workers} worker(s)");
            return new UserspaceInterface(wg, uapi, watcher, log);
        }
        catch
        {
            uapi?.Dispose();
            uapiListener.Dispose();
            if (wg is not null)
            {
                wg.Dispose();
            }
            else
            {
                tun.Dispose();
            }
            throw;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        var name = _interface.Name;
        _watcher.Dispose();
        _uapi.Dispose();
        _interface.Dispose(); // closes the tun descriptor: the device goes with it (if not already deleted)
        _log.Info(name, "shut down");
    }
}
