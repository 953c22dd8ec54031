using System.Net;
using SharpTun.IO;
using SharpTun.Linux.Namespaces;
using SharpTun.Linux.Netlink;
using SharpTun.Linux.Tun;

namespace SharpTun.Tunnel;

/// <summary>
/// Runs one side of a relay tunnel from <see cref="TunnelSettings"/>: opens (or, with
/// <see cref="TunnelSettings.Create"/>, creates) the tun/tap device, configures it over rtnetlink,
/// binds or resolves the transport, and relays on one event-loop thread until stopped. Everything
/// it opened is released by <see cref="Dispose"/>; a device it created disappears with it.
/// <code>
/// using var host = TunnelHost.Open(settings, e =&gt; Console.Error.WriteLine(e.Message));
/// host.Run(cancellationToken);   // blocks; returns when cancelled or Stop() is called
/// </code>
/// The wire format is simpletun's (cleartext, unauthenticated): use it only on trusted networks.
/// </summary>
public sealed partial class TunnelHost : IDisposable
{
    private readonly TunDevice _device;
    private readonly IRelayTransport _transport;
    private readonly Relay _relay;
    private readonly PacketCapture? _capture;
    private int _disposed;

    private TunnelHost(TunnelSettings settings, TunDevice device, int mtu, int wirePacket, IRelayTransport transport, TunnelCounters counters, EventLimiter events,
        PacketCapture? capture, PacketObserver? observer, IPEndPoint? local)
    {
        Settings = settings;
        Counters = counters;
        _device = device;
        _transport = transport;
        _capture = capture;
        Mtu = mtu;
        LocalEndPoint = local;
        Events = events;
        PacketObserver? all = observer;
        if (capture is not null)
        {
            all = (direction, packet) =>
            {
                capture.Write(packet, direction == PacketDirection.DeviceToPeer);
                observer?.Invoke(direction, packet);
            };
        }
        _relay = new Relay(device, transport, Counters, all, wirePacketSize: wirePacket);
    }

    /// <summary>The settings this host runs.</summary>
    public TunnelSettings Settings { get; }

    /// <summary>The device name (the kernel's choice when the settings gave a template).</summary>
    public string DeviceName => _device.Name;

    /// <summary>True for a tap device (Ethernet frames).</summary>
    public bool IsEthernet => _device.IsEthernet;

    /// <summary>The device MTU the relay runs with.</summary>
    public int Mtu { get; }

    /// <summary>The transport in words ("TCP server on [::]:55555", "UDP client of 198.18.0.1:55555").</summary>
    public string TransportDescription => _transport.Description;

    /// <summary>The bound local endpoint of a server (its port when 0 was asked for); null for a client.</summary>
    public IPEndPoint? LocalEndPoint { get; }

    /// <summary>The counters (read them from any thread).</summary>
    public TunnelCounters Counters { get; }

    /// <summary>The current peer ("198.18.0.2:40312"), or null. Read from any thread (a snapshot).</summary>
    public string? PeerName => _transport.PeerName;

    /// <summary>Packets written to <see cref="TunnelSettings.CapturePath"/> so far, or null without capture.</summary>
    public long? CapturedPackets => _capture?.Count;

    internal EventLimiter Events { get; }

    /// <summary>
    /// Opens the device and the transport; throws <see cref="ArgumentException"/> for bad settings and
    /// <see cref="TunnelException"/> (or the device's, netlink's own exception) naming what failed:
    /// a device that does not exist without create, a port in use, a server name that does not resolve.
    /// </summary>
    /// <param name="settings">What to run.</param>
    /// <param name="events">Receives log events on the event-loop thread (rate-limited); null for none.</param>
    /// <param name="observer">Sees every packet carried (e.g. for per-packet debug lines); null for none.</param>
    public static TunnelHost Open(TunnelSettings settings, Action<TunnelEvent>? events = null, PacketObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var servers = settings.IsServer ? [] : ResolveServer(settings.Server!, settings.Port);
        var (device, mtu) = OpenDevice(settings);
        IRelayTransport? transport = null;
        PacketCapture? capture = null;
        try
        {
            var limiter = new EventLimiter(events);
            var counters = new TunnelCounters();
            // The largest packet on the wire: the device's, or with offloads (reads of up to 64 KB) its MTU.
            var wirePacket = device.VnetHeaderSize > 0 ? mtu : device.MaxPacketSize;
            (transport, var local) = CreateTransport(settings, servers, device, wirePacket, counters, limiter);
            capture = settings.CapturePath is null ? null : new PacketCapture(settings.CapturePath, device.IsEthernet);
            return new TunnelHost(settings, device, mtu, wirePacket, transport, counters, limiter, capture, observer, local);
        }
        catch
        {
            transport?.Dispose();
            capture?.Dispose();
            device.Dispose();
            throw;
        }
    }

    /// <summary>Relays until <paramref name="cancellationToken"/> is cancelled or <see cref="Stop"/> is called. Throws when the device fails.</summary>
    public void Run(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        try
        {
            _relay.Run(cancellationToken);
        }
        finally
        {
            Events.Flush(0, all: true);
            _capture?.Flush();
        }
    }

    /// <summary>Makes <see cref="Run"/> return (any thread; the event loop is woken at once).</summary>
    public void Stop() => _relay.Stop();

    /// <summary>Stops and closes the transport, the capture file and the device (a created device is removed).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _relay.Stop();
        _transport.Dispose();
        _capture?.Dispose();
        _device.Dispose();
    }

    private static (TunDevice Device, int Mtu) OpenDevice(TunnelSettings settings)
    {
        var ns = settings.NetworkNamespace;
        using var netlink = ns is null ? RtNetlink.Open() : RtNetlink.OpenInNamespace(ns);
        if (!settings.Create && netlink.FindLink(settings.Device) is null)
        {
            throw new TunnelException($"no such device '{settings.Device}'{(ns is null ? "" : $" in namespace '{ns}'")}", TunnelFailure.NoSuchDevice);
        }
        // Offloads on a tun: TSO/USO super-packets are split before the wire and packets from the peer merged
        // again (Relay, DeviceWriter), so the kernel handles a TCP stream in 64 KB units both ways.
        var offloads = settings.Offloads && settings.Mode == TunMode.Tun;
        var options = new TunOptions
        {
            Name = settings.Device,
            Mode = settings.Mode,
            Exclusive = settings.Create,
            VnetHdr = offloads,
            Offloads = offloads ? PacketOffloads.Checksum | PacketOffloads.TcpSegmentation | PacketOffloads.UdpSegmentation : PacketOffloads.None,
        };
        var device = ns is null ? TunDevice.Open(options) : NetNamespace.Run(ns, () => TunDevice.Open(options));
        try
        {
            if (settings.Create)
            {
                DeviceSetup.Configure(netlink, device.Name, settings.Addresses, settings.MtuForCreate);
            }
            var mtu = netlink.GetLink(device.Name).Mtu;
            device.UpdateMtu(mtu);
            return (device, mtu);
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }
}
