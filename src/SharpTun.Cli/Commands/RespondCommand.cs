using System.CommandLine;
using System.Net;
using System.Text;
using SharpTun.Linux.Tun;
using SharpTun.Packets;

namespace SharpTun.Cli.Commands;

/// <summary>
/// <c>sharptun respond</c>: answer pings (and, on tap, ARP and neighbour solicitations) that the
/// kernel sends out a device, from user space. The request → reply logic is
/// <see cref="PacketResponder"/>; this command only pumps the device and prints.
/// </summary>
internal static class RespondCommand
{
    internal static Command Create()
    {
        var dev = new Option<string>("--interface", "-i") { Description = "device to attach to (created, non-persistent, if missing)", Required = true };
        var tap = new Option<bool>("--tap", "-a") { Description = "the device is a tap device: also answer ARP and IPv6 neighbour solicitations" };
        var addresses = new Option<string[]>("--address")
        {
            Description = "answer only for these IPv4/IPv6 addresses (repeatable; default: any unicast address that reaches the device)",
            AllowMultipleArgumentsPerToken = true,
        };
        var mac = new Option<string?>("--mac") { Description = "on tap, the MAC to answer with (default: a random locally administered one; not the tap device's own)" };
        var count = new Option<int>("--count", "-c") { Description = "stop after this many answers (0 = until interrupted)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "do not print a line per answer" };
        var cmd = new Command("respond", "Answer ICMP echo (v4/v6) requests arriving through a tun/tap device; on tap also ARP and NDP.")
        {
            dev, tap, addresses, mac, count, quiet,
        };
        cmd.SetAction((r, ct) => CliRunner.RunUntilSignalAsync(async token =>
        {
            var limit = r.GetValue(count);
            if (limit < 0)
            {
                throw new ArgumentException($"invalid --count {limit}: must be 0 or more");
            }
            var served = (r.GetValue(addresses) ?? []).Select(ParseAddress).ToList();
            var ourMac = r.GetValue(mac) is { } m ? MacAddress.Parse(m) : PacketResponder.RandomMac();
            if (ourMac.IsMulticast)
            {
                throw new ArgumentException($"invalid --mac {ourMac}: a multicast address cannot answer");
            }
            using var device = TunDevice.Open(new TunOptions { Name = r.GetValue(dev), Mode = r.GetValue(tap) ? TunMode.Tap : TunMode.Tun });
            var responder = new PacketResponder(device.Mode == TunMode.Tap ? LinkType.Ethernet : LinkType.Raw, ourMac, served);
            var who = served.Count == 0 ? "any address" : string.Join(", ", served);
            var as_ = device.Mode == TunMode.Tap ? $" as {ourMac}" : "";
            Console.Out.WriteLine($"Answering on {device.Name} for {who}{as_}; Ctrl-C to stop");
            var counts = new long[5];
            var received = 0L;
            // SIGINT/SIGTERM stop the pump (CliRunner's stop rule): print the counts, then exit 130/143.
            try
            {
                await PumpAsync(device, responder, counts, limit, r.GetValue(quiet), () => received++, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
            }
            Console.Out.WriteLine(
                $"{device.Name}: {received} packets read, answered {counts[(int)ResponseKind.EchoReplyV4]} echo (IPv4), " +
                $"{counts[(int)ResponseKind.EchoReplyV6]} echo (IPv6), {counts[(int)ResponseKind.ArpReply]} ARP, " +
                $"{counts[(int)ResponseKind.NeighborAdvertisement]} neighbour solicitations");
            Console.Out.Flush();
            return CliRunner.Ok;
        }, ct));
        return cmd;
    }

    private static IPAddress ParseAddress(string text) =>
        IPAddress.TryParse(text, out var a) && (text.Contains(':') || text.Count(c => c == '.') == 3)
            ? a
            : throw new ArgumentException($"invalid --address '{text}': expected an IPv4 or IPv6 address");

    // Cancellation shuts the queue down, which wakes the blocked read at once; the pump runs on its own thread.
    private static async Task PumpAsync(TunDevice device, PacketResponder responder, long[] counts, int limit, bool quiet, Action onRead,
        CancellationToken token)
    {
        using (token.Register(device.Shutdown))
        {
            await Task.Factory.StartNew(() => Pump(device, responder, counts, limit, quiet, onRead), CancellationToken.None,
                TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
        }
        token.ThrowIfCancellationRequested();
    }

    private static void Pump(TunDevice device, PacketResponder responder, long[] counts, int limit, bool quiet, Action onRead)
    {
        const int batch = 16;
        var requests = new Memory<byte>[batch];
        var replyBuffers = new byte[batch][];
        for (var i = 0; i < batch; i++)
        {
            requests[i] = new byte[65536];
            replyBuffers[i] = new byte[65536 + 64];
        }
        var sizes = new int[batch];
        var replies = new Memory<byte>[batch];
        var kinds = new ResponseKind[batch];
        var text = new char[PacketSummary.MaxLineLength];
        using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 14) { AutoFlush = false };
        long answered = 0;
        while (limit == 0 || answered < limit)
        {
            var got = device.Read(requests, sizes, 0);
            if (got == 0)
            {
                return; // shut down
            }
            var pending = 0;
            for (var i = 0; i < got && (limit == 0 || answered + pending < limit); i++)
            {
                onRead();
                var (kind, n) = responder.Respond(requests[i].Span[..sizes[i]], replyBuffers[pending]);
                if (kind != ResponseKind.None)
                {
                    kinds[pending] = kind;
                    replies[pending] = replyBuffers[pending].AsMemory(0, n);
                    pending++;
                }
            }
            var accepted = device.Write(replies.AsSpan(0, pending), 0);
            if (accepted < pending)
            {
                Console.Error.WriteLine($"sharptun: device {device.Name} refused {pending - accepted} of {pending} replies: {SharpTun.Netlink.ErrnoText.Describe(device.LastWriteError)}");
            }
            for (var i = 0; i < pending; i++)
            {
                counts[(int)kinds[i]]++;
                answered++;
                if (!quiet && Describe(kinds[i], replies[i].Span, responder.LinkType, text, out var m))
                {
                    stdout.WriteLine(text.AsSpan(0, m));
                }
            }
            stdout.Flush();
        }
    }

    private static bool Describe(ResponseKind kind, ReadOnlySpan<byte> reply, LinkType linkType, Span<char> text, out int written)
    {
        var label = kind switch
        {
            ResponseKind.ArpReply => "sent ARP reply: ",
            ResponseKind.NeighborAdvertisement => "sent neighbour advertisement: ",
            _ => "sent echo reply: ",
        };
        label.CopyTo(text);
        var rest = text[label.Length..];
        if (!PacketSummary.TryFormat(PacketDecoder.Decode(reply, linkType), rest, out var n))
        {
            written = 0;
            return false;
        }
        // The summary right-aligns the source column; a log line reads better without the padding.
        var pad = Math.Max(0, rest[..n].IndexOfAnyExcept(' '));
        rest[pad..n].CopyTo(rest);
        written = label.Length + n - pad;
        return true;
    }
}
