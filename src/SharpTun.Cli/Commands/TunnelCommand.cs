using System.CommandLine;
using System.Runtime.InteropServices;
using SharpTun.Linux.Netlink;
using SharpTun.Linux.Tun;
using SharpTun.Netlink;
using SharpTun.Tunnel;

namespace SharpTun.Cli.Commands;

/// <summary><c>sharptun tunnel</c>: simpletun's relay (-i -s/-c -p -u/-a -d), plus UDP, device creation and counters.</summary>
internal static class TunnelCommand
{
    private const string Warning =
        "The relay is CLEARTEXT and UNAUTHENTICATED, like simpletun: anyone on the path can read and inject packets. " +
        "Use it only on networks you trust; for untrusted networks use WireGuard (wg-quick or wireguard-go; SharpTun has the WireGuard protocol core, its tunnel command is not there yet).";

    private const int UdpDefaultMtu = 1472;

    internal static Command Create()
    {
        var dev = new Option<string>("--interface", "-i") { Description = "tun/tap device to attach to (or to create with --create)", Required = true };
        var server = new Option<bool>("--server", "-s") { Description = "server mode: listen for the client" };
        var client = new Option<string?>("--client", "-c") { Description = "client mode: connect to SERVER (address or host name)", HelpName = "SERVER" };
        var port = new Option<int>("--port", "-p") { Description = "port to listen on / connect to", DefaultValueFactory = _ => TunnelSettings.DefaultPort };
        var tun = new Option<bool>("--tun", "-u") { Description = "the device is a tun device: IP packets (default)" };
        var tap = new Option<bool>("--tap", "-a") { Description = "the device is a tap device: Ethernet frames" };
        var transport = new Option<string>("--transport") { Description = "tcp (simpletun framing, default) or udp", DefaultValueFactory = _ => "tcp" };
        var create = new Option<bool>("--create") { Description = "create the device (removed at exit) instead of attaching to an existing, configured one" };
        var address = new Option<string[]>("--address") { Description = "with --create: address(es) for the device, e.g. 198.19.0.1/24; the link is set up", HelpName = "CIDR" };
        var mtu = new Option<int?>("--mtu") { Description = "with --create: the device MTU (default 1500 over TCP, 1472 over UDP so a full packet fits one 1500-byte wire frame)" };
        var keepalive = new Option<double>("--keepalive") { Description = "UDP client: seconds between keepalives", DefaultValueFactory = _ => 10 };
        var capture = new Option<string?>("--capture") { Description = "write the packets the tunnel carries (both directions) to this pcap file", HelpName = "FILE" };
        var debug = new Option<bool>("--debug", "-d") { Description = "print a line per packet (simpletun's TAP2NET/NET2TAP lines)" };
        var cmd = new Command("tunnel", "Relay a tun/tap device to a peer over TCP (simpletun-compatible) or UDP. " + Warning)
        {
            dev, server, client, port, tun, tap, transport, create, address, mtu, keepalive, capture, debug,
        };
        cmd.SetAction((r, ct) => CliRunner.RunAsync(token =>
        {
            var isServer = r.GetValue(server);
            var remote = r.GetValue(client);
            if (isServer == (remote is not null))
            {
                throw new ArgumentException("give exactly one of -s (server) or -c SERVER (client)");
            }
            if (r.GetValue(tun) && r.GetValue(tap))
            {
                throw new ArgumentException("give -u (tun) or -a (tap), not both");
            }
            var settings = new TunnelSettings
            {
                IsServer = isServer,
                Server = remote,
                Port = r.GetValue(port),
                Transport = r.GetValue(transport)?.ToLowerInvariant() switch
                {
                    "tcp" => TransportKind.Tcp,
                    "udp" => TransportKind.Udp,
                    var t => throw new ArgumentException($"invalid --transport '{t}': use tcp or udp"),
                },
                Keepalive = r.GetValue(keepalive) > 0
                    ? TimeSpan.FromSeconds(r.GetValue(keepalive))
                    : throw new ArgumentException("--keepalive must be more than 0 seconds"),
            };
            settings.ResolveEndPoint();
            var addresses = DeviceSetup.ParseAddresses(r.GetValue(address) ?? []);
            if (!r.GetValue(create) && (addresses.Count > 0 || r.GetValue(mtu) is not null))
            {
                throw new ArgumentException("--address and --mtu need --create (without it the device must already be configured)");
            }
            var mode = r.GetValue(tap) ? TunMode.Tap : TunMode.Tun;
            var deviceMtu = r.GetValue(mtu);
            if (r.GetValue(create) && deviceMtu is null && settings.Transport == TransportKind.Udp)
            {
                // Each datagram adds 28 bytes (IPv4 + UDP): 1472 keeps a full-size packet in one
                // 1500-byte wire frame instead of two IP fragments.
                deviceMtu = UdpDefaultMtu;
            }
            return Task.FromResult(Run(r.GetValue(dev)!, mode, r.GetValue(create), addresses, deviceMtu, settings, r.GetValue(capture), r.GetValue(debug), token));
        }, ct));
        return cmd;
    }

    private static int Run(string name, TunMode mode, bool create, IReadOnlyList<IpPrefix> addresses, int? mtu, TunnelSettings settings,
        string? capturePath, bool debug, CancellationToken token)
    {
        var log = new TunnelLog(Console.Error, debug);
        using var device = TunDevice.Open(new TunOptions { Name = name, Mode = mode, Exclusive = create });
        int actualMtu;
        using (var netlink = RtNetlink.Open())
        {
            if (create)
            {
                DeviceSetup.Configure(netlink, device.Name, addresses, mtu);
            }
            actualMtu = netlink.GetLink(device.Name).Mtu;
        }
        using var capture = capturePath is null ? null : new PacketCapture(capturePath, mode == TunMode.Tap);
        var packets = new TunPacketDevice(device, actualMtu);
        var counters = new TunnelCounters();
        var buffers = new RelayBuffers(packets.MaxPacketSize);
        using var transport = settings.CreateTransport(packets, buffers, counters, log);
        var relay = new Relay(packets, transport, counters, log) { Observer = capture is null ? null : capture.Write };
        // SIGINT/SIGTERM: stop the relay, print the counters, exit 0.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        void Stop(PosixSignalContext ctx)
        {
            ctx.Cancel = true;
            stop.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        // SIGUSR1 (10 on Linux): .NET accepts raw signal numbers cast to PosixSignal on Unix.
        using var usr1 = PosixSignalRegistration.Create((PosixSignal)10, ctx =>
        {
            ctx.Cancel = true;
            Console.Out.WriteLine(counters.Format(device.Name));
            Console.Out.Flush();
        });
        log.Info($"sharptun tunnel: {device.Name} ({(mode == TunMode.Tap ? "tap" : "tun")}, mtu {actualMtu}) <-> {transport.Description}; cleartext, unauthenticated");
        try
        {
            relay.Run(stop.Token);
        }
        finally
        {
            Console.Out.WriteLine(counters.Format(device.Name));
            if (capture is not null)
            {
                Console.Out.WriteLine($"capture: {capture.Count} packets written to {capturePath}");
            }
            Console.Out.Flush();
        }
        return CliRunner.Ok;
    }
}
