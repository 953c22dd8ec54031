using System.CommandLine;
using SharpTun.Linux.Tun;
using SharpTun.Packets;

namespace SharpTun.Cli.Commands;

/// <summary>
/// <c>sharptun read</c>: attach to a device and print one tshark-style line per packet (or the
/// tutorial tunclient's "Read N bytes" line with <c>--sizes</c>), optionally a hex dump, and/or
/// write a pcap file; or, with <c>-r FILE</c>, read a pcap or pcapng file instead of a device (as <c>tshark -r</c>
/// / <c>tcpdump -r</c>; see <see cref="PcapFileRead"/>). Decoding, summaries, filters and pcap live in SharpTun.Packets.
/// </summary>
internal static class ReadCommand
{
    internal static Command Create()
    {
        var dev = new Option<string>("--interface", "-i") { Description = "device to attach to (created, non-persistent, if missing)", HelpName = "DEV" };
        var file = new Option<string?>("--read-file", "-r") { Description = "read packets from this pcap or pcapng file instead of a device ('-' = stdin), as tshark -r / tcpdump -r", HelpName = "FILE" };
        var tap = new Option<bool>("--tap", "-a") { Description = "the device is a tap device (Ethernet frames)" };
        var pi = new Option<bool>("--pi") { Description = "attach with the 4-byte packet-information header (stripped before decoding and in pcap)" };
        var vnet = new Option<bool>("--vnet-hdr") { Description = "attach with IFF_VNET_HDR (the virtio-net header is stripped before decoding and in pcap)" };
        var mq = new Option<bool>("--multi-queue") { Description = "attach as one more queue of a multi-queue device" };
        var count = new Option<int>("--count", "-c") { Description = "stop after this many (matching) packets (0 = until interrupted)" };
        var timeout = new Option<double>("--timeout", "-t") { Description = "stop after this many seconds (0 = no limit)" };
        var sizes = new Option<bool>("--sizes") { Description = "print only \"Read N bytes from device NAME\" per packet (the tutorial's tunclient)" };
        var hex = new Option<bool>("--hex", "-x") { Description = "print a hex dump of each packet after its summary" };
        var write = new Option<string?>("--write", "-w") { Description = "also write the packets to this pcap file (LINKTYPE_RAW for tun, ETHERNET for tap)", HelpName = "FILE" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "print nothing per packet (useful with -w)" };
        var filter = new Option<string?>("--filter", "-f")
        {
            Description = "only packets matching: ip, ip6, arp, icmp, icmp6, tcp, udp, vlan, [src|dst] host ADDR, [src|dst] net PREFIX, [src|dst] port N, combined with and/or/not/()",
        };
        var cmd = new Command("read", "Attach to a tun/tap device (or read a pcap/pcapng file: -r FILE) and print one decoded line per packet (tshark style); -w writes pcap.")
        {
            dev, file, tap, pi, vnet, mq, count, timeout, sizes, hex, write, quiet, filter,
        };
        cmd.Validators.Add(result =>
        {
            var fromFile = result.GetResult(file) is not null;
            if (!fromFile && result.GetResult(dev) is null)
            {
                result.AddError("option --interface is required (or --read-file FILE)");
            }
            else if (fromFile && result.GetResult(dev) is not null)
            {
                result.AddError("use either --interface or --read-file, not both");
            }
            else if (fromFile && new Option[] { tap, pi, vnet, mq, sizes }.FirstOrDefault(o => result.GetResult(o) is not null) is { } deviceOnly)
            {
                result.AddError($"{deviceOnly.Name} describes a device; a pcap file says its own link type");
            }
        });
        // Stops at -c/-t (exit 0) or at the first SIGINT/SIGTERM (exit 130/143); either way it prints
        // tshark's "N packets captured" on stderr and leaves a complete pcap (header written at once).
        cmd.SetAction((r, ct) => CliRunner.RunWithStopAsync(async stop =>
        {
            var token = stop.Token;
            var n = r.GetValue(count);
            if (n < 0)
            {
                throw new ArgumentException($"invalid --count {n}: must be 0 or more");
            }
            var match = r.GetValue(filter) is { } text ? PacketFilter.Parse(text) : null;
            var seconds = r.GetValue(timeout);
            if (r.GetValue(file) is { } input)
            {
                return await PcapFileRead.RunAsync(input, new ReadLoop.Settings(LinkType.Raw, 0, n, false, r.GetValue(hex), r.GetValue(quiet), match),
                    r.GetValue(write), seconds, token).ConfigureAwait(false);
            }
            using var device = TunDevice.Open(new TunOptions
            {
                Name = r.GetValue(dev),
                Mode = r.GetValue(tap) ? TunMode.Tap : TunMode.Tun,
                PacketInfo = r.GetValue(pi),
                MultiQueue = r.GetValue(mq),
                VnetHdr = r.GetValue(vnet),
            });
            var options = new ReadLoop.Settings(
                device.Mode == TunMode.Tap ? LinkType.Ethernet : LinkType.Raw,
                (device.PacketInfo ? 4 : 0) + device.VnetHeaderSize,
                n, r.GetValue(sizes), r.GetValue(hex), r.GetValue(quiet), match);
            using var pcap = r.GetValue(write) is { } path ? OpenPcap(path, options.LinkType) : null;
            pcap?.Flush();
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(token);
            if (seconds > 0)
            {
                limit.CancelAfter(TimeSpan.FromSeconds(seconds));
            }
            var captured = new ReadLoop.Counter();
            try
            {
                await ReadLoop.RunAsync(device, options, pcap, limit.Token, captured).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested)
            {
                // --timeout elapsed or a signal arrived: a clean stop either way.
            }
            Console.Error.WriteLine(captured.Value == 1 ? "1 packet captured" : $"{captured.Value} packets captured");
            return CliRunner.Ok;
        }, ct));
        return cmd;
    }

    internal static PcapWriter OpenPcap(string path, LinkType linkType)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot write pcap file '{path}': {UserText.Clean(e)}", e);
        }
        return new PcapWriter(file, linkType);
    }
}
