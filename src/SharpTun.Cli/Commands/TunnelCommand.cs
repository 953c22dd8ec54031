using System.CommandLine;
using System.Net;
using SharpTun.Linux.Tun;
using SharpTun.Netlink;
using SharpTun.Tunnel;

namespace SharpTun.Cli.Commands;

/// <summary><c>sharptun tunnel</c>: simpletun's relay (-i -s/-c -p -u/-a -d), plus UDP, device creation, a guarded server and counters.</summary>
internal static class TunnelCommand
{
    private const string Warning =
        "The relay is CLEARTEXT and UNAUTHENTICATED, like simpletun: anyone on the path can read and inject packets. " +
        "Use it only on networks you trust; for untrusted networks use SharpTun's WireGuard tunnel, 'sharptun wg up'.";

    internal static Command Create()
    {
        var dev = new Option<string>("--interface", "-i") { Description = "tun/tap device to attach to (or to create with --create)", Required = true };
        var server = new Option<bool>("--server", "-s") { Description = "server mode: listen for the client" };
        var client = new Option<string?>("--client", "-c") { Description = "client mode: connect to SERVER (address or host name)", HelpName = "SERVER" };
        var port = new Option<int>("--port", "-p") { Description = "port to listen on / connect to", DefaultValueFactory = _ => TunnelSettings.DefaultPort };
        var tun = new Option<bool>("--tun", "-u") { Description = "the device is a tun device: IP packets (default)" };
        var tap = new Option<bool>("--tap", "-a") { Description = "the device is a tap device: Ethernet frames" };
        var transport = new Option<string>("--transport") { Description = "tcp (simpletun framing, default) or udp", DefaultValueFactory = _ => "tcp" };
        transport.CompletionSources.Add("tcp", "udp");
        var create = new Option<bool>("--create") { Description = "create the device (removed at exit) instead of attaching to an existing, configured one" };
        var address = new Option<string[]>("--address") { Description = "with --create: address(es) for the device, e.g. 198.19.0.1/24; the link is set up", HelpName = "CIDR" };
        var mtu = new Option<int?>("--mtu") { Description = $"with --create: the device MTU (default 1500 over TCP, {TunnelSettings.UdpMtu} over UDP so a full packet fits one 1500-byte wire frame)" };
        var listen = new Option<string?>("--listen", "-l") { Description = "server: the local address to listen on (default: all, IPv4 and IPv6)", HelpName = "ADDR" };
        var allow = new Option<string[]>("--allow") { Description = "server: accept peers only from this prefix (repeatable), e.g. 198.18.0.2/32", HelpName = "PREFIX" };
        var peer = new Option<string?>("--peer") { Description = "UDP server: answer only this peer (ADDR or ADDR:PORT)", HelpName = "ADDR[:PORT]" };
        var keepalive = new Option<double>("--keepalive") { Description = "UDP client: seconds between keepalives; server: a peer silent this long may be replaced", DefaultValueFactory = _ => 10 };
        var firstFrame = new Option<double>("--first-packet-timeout") { Description = "TCP server: close a connection that sends no packet within this many seconds", DefaultValueFactory = _ => 10 };
        var idle = new Option<double>("--idle-timeout") { Description = "TCP server: close a connection silent this many seconds", DefaultValueFactory = _ => 120 };
        var capture = new Option<string?>("--capture") { Description = "write the packets the tunnel carries (both directions) to this pcap file", HelpName = "FILE" };
        var debug = new Option<bool>("--debug", "-d") { Description = "print a line per packet (simpletun's TAP2NET/NET2TAP lines)" };
        var noOffload = new Option<bool>("--no-offload")
        {
            Description = "tun: one packet per device read and write, as simpletun (default: the kernel's TCP/UDP segmentation offloads, split and merged by the relay; the wire format is the same)",
        };
        var cmd = new Command("tunnel", "Relay a tun/tap device to a peer over TCP (simpletun-compatible) or UDP. " + Warning)
        {
            dev, server, client, port, tun, tap, transport, create, address, mtu, listen, allow, peer, keepalive, firstFrame, idle, capture, debug, noOffload,
        };
        // The shared stop rule with a service's convention for SIGTERM (as wg up): SIGINT prints the
        // counters and exits 130, SIGTERM (systemd's stop) prints them and exits 0.
        cmd.SetAction((r, ct) => CliRunner.RunWithStopAsync(stop =>
        {
            var token = stop.Token;
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
            var isCreate = r.GetValue(create);
            var addresses = (r.GetValue(address) ?? []).Select(a => Prefix(a, "--address")).ToList();
            if (!isCreate && (addresses.Count > 0 || r.GetValue(mtu) is not null))
            {
                throw new ArgumentException("--address and --mtu need --create (without it the device must already be configured)");
            }
            if (!isServer && (r.GetValue(listen) is not null || r.GetValue(allow) is { Length: > 0 } || r.GetValue(peer) is not null))
            {
                throw new ArgumentException("--listen, --allow and --peer are server options (with -s)");
            }
            var settings = new TunnelSettings
            {
                Device = r.GetValue(dev)!,
                Mode = r.GetValue(tap) ? TunMode.Tap : TunMode.Tun,
                Create = isCreate,
                Addresses = addresses,
                Mtu = r.GetValue(mtu),
                IsServer = isServer,
                Server = remote,
                Port = r.GetValue(port),
                Transport = r.GetValue(transport)?.ToLowerInvariant() switch
                {
                    "tcp" => TransportKind.Tcp,
                    "udp" => TransportKind.Udp,
                    var t => throw new ArgumentException($"invalid --transport '{t}': use tcp or udp"),
                },
                Listen = r.GetValue(listen) is { } l ? Address(l, "--listen") : null,
                Allow = (r.GetValue(allow) ?? []).Select(a => Prefix(a, "--allow")).ToList(),
                Peer = r.GetValue(peer) is { } p ? Peer(p) : null,
                Keepalive = Seconds(r.GetValue(keepalive), "--keepalive"),
                FirstFrameTimeout = Seconds(r.GetValue(firstFrame), "--first-packet-timeout"),
                IdleTimeout = Seconds(r.GetValue(idle), "--idle-timeout"),
                CapturePath = r.GetValue(capture),
                Offloads = !r.GetValue(noOffload),
            };
            if (settings.Peer is not null && settings.Transport != TransportKind.Udp)
            {
                throw new ArgumentException("--peer applies to --transport udp (for TCP use --allow)");
            }
            return Task.FromResult(Run(settings, r.GetValue(debug), token));
        }, ct, terminateIsNormalStop: true));
        return cmd;
    }

    private static int Run(TunnelSettings settings, bool debug, CancellationToken token)
    {
        var log = Console.Error;
        var word = settings.Mode == TunMode.Tap ? "tap" : "tun";
        long toNet = 0, toDevice = 0;
        PacketObserver? observer = !debug ? null : (direction, packet) =>
        {
            // simpletun's -d lines, one pair per packet.
            if (direction == PacketDirection.DeviceToPeer)
            {
                var n = ++toNet;
                log.WriteLine($"TAP2NET {n}: Read {packet.Length} bytes from the {word} interface");
                log.WriteLine($"TAP2NET {n}: Written {packet.Length} bytes to the network");
            }
            else
            {
                var n = ++toDevice;
                log.WriteLine($"NET2TAP {n}: Read {packet.Length} bytes from the network");
                log.WriteLine($"NET2TAP {n}: Written {packet.Length} bytes to the {word} interface");
            }
        };
        TunnelHost host;
        try
        {
            host = TunnelHost.Open(settings, e => log.WriteLine(e.Message), observer);
        }
        catch (TunnelException e) when (e.Failure == TunnelFailure.NoSuchDevice)
        {
            throw new TunnelException($"{e.Message}: create it first (sharptun tuntap add {settings.Device} mode {word}) or pass --create", e.Failure, e);
        }
        using (host)
        {
            using var status = new TunnelSignals(onStatus: () =>
            {
                Console.Out.WriteLine(TunnelText.Counters(host.Counters, host.DeviceName));
                Console.Out.Flush();
            });
            log.WriteLine($"sharptun tunnel: {host.DeviceName} ({word}, mtu {host.Mtu}) <-> {host.TransportDescription}; cleartext, unauthenticated");
            try
            {
                host.Run(token);
            }
            finally
            {
                Console.Out.WriteLine(TunnelText.Counters(host.Counters, host.DeviceName));
                if (host.CapturedPackets is { } captured)
                {
                    Console.Out.WriteLine($"capture: {captured} packets written to {settings.CapturePath}");
                }
                Console.Out.Flush();
            }
        }
        return CliRunner.Ok;
    }

    private static IpPrefix Prefix(string text, string option)
    {
        try
        {
            return IpPrefix.Parse(text);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"invalid {option} '{text}': {e.Message}", e);
        }
    }

    private static IPAddress Address(string text, string option) =>
        IPAddress.TryParse(text, out var a) ? a : throw new ArgumentException($"invalid {option} '{text}': not an IP address");

    private static IPEndPoint Peer(string text)
    {
        if (IPAddress.TryParse(text, out var bare))
        {
            return new IPEndPoint(bare, 0);
        }
        if (IPEndPoint.TryParse(text, out var ep) && ep.Port is > 0 and <= 65535)
        {
            return ep;
        }
        throw new ArgumentException($"invalid --peer '{text}': use ADDR or ADDR:PORT ([ADDR]:PORT for IPv6)");
    }

    private static TimeSpan Seconds(double value, string option) =>
        value > 0 ? TimeSpan.FromSeconds(value) : throw new ArgumentException($"{option} must be more than 0 seconds");
}
