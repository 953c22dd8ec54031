using System.Buffers.Binary;
using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using SharpTun.WireGuard;
using SharpTun.WireGuard.Host;

namespace SharpTun.Cli.Commands;

/// <summary>
/// <c>sharptun wg capture NAME [--peer KEY] -w FILE [-c COUNT] [--duration SECONDS]</c>: the running daemon
/// streams the decrypted inner packets of one peer (or all) as pcap over its UAPI socket (SharpTun's
/// <c>sharptun_capture=1</c> request; stock <c>wg</c> never sends it); this writes them to FILE ("-" = stdout)
/// until Ctrl-C/SIGTERM, COUNT packets or the duration. Stopping half-closes the connection, so the daemon
/// first sends what it still has queued. Nothing is restarted; with no capture running the data path skips it.
/// </summary>
internal static class WgCaptureCommand
{
    private const int PcapHeader = 24;
    private const int RecordHeader = 16;

    internal static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "a running SharpTun WireGuard interface" };
        var peer = new Option<string?>("--peer") { Description = "only this peer's packets (its public key, base64); default: every peer", HelpName = "KEY" };
        var file = new Option<string>("-w") { Description = "the pcap file to write ('-' = stdout, e.g. | tshark -r -)", Required = true, HelpName = "FILE" };
        var count = new Option<long?>("-c") { Description = "stop after this many packets", HelpName = "COUNT" };
        var duration = new Option<double?>("--duration") { Description = "stop after this many seconds", HelpName = "SECONDS" };
        var cmd = new Command("capture", "Write the decrypted inner packets of a running interface (one peer or all) to a pcap file, without restarting it.")
        {
            name, peer, file, count, duration,
        };
        cmd.SetAction((r, ct) => CliRunner.RunUntilSignalAsync(token => Run(r.GetValue(name)!, r.GetValue(peer), r.GetValue(file)!, r.GetValue(count), r.GetValue(duration), token), ct));
        return cmd;
    }

    private static async Task<int> Run(string name, string? peerText, string path, long? count, double? duration, CancellationToken token)
    {
        if (count is <= 0)
        {
            throw new ArgumentException($"invalid -c {count}: a positive number of packets");
        }
        var key = peerText is null ? null : WireGuardKeys.Parse(peerText, "--peer");
        var socketPath = UapiServer.PathFor(name);
        if (!File.Exists(socketPath))
        {
            throw new IOException($"interface '{name}' is not up: no UAPI socket {socketPath}");
        }
        using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await s.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), token).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new IOException($"interface '{name}': cannot talk to UAPI socket {socketPath}: {e.Message}", e);
        }
        var request = UapiClient.CaptureRequestPrefix + (key is null ? "" : $"public_key={Convert.ToHexStringLower(key)}\n") + "\n";
        await s.SendAsync(Encoding.UTF8.GetBytes(request), token).ConfigureAwait(false);
        var errno = await ReadStatus(s, name, token).ConfigureAwait(false);
        if (errno != 0)
        {
            throw new IOException(errno == -2
                ? $"interface '{name}' has no peer {peerText}"
                : $"interface '{name}' refused the capture (errno {errno.ToString(CultureInfo.InvariantCulture)})");
        }
        var what = key is null ? "all peers" : $"peer {peerText}";
        Console.Error.WriteLine($"sharptun: capturing inner packets of {name} ({what}) to {path}; Ctrl-C stops");
        using var output = path == "-" ? Console.OpenStandardOutput() : new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        using var timer = duration is { } d ? new CancellationTokenSource(TimeSpan.FromSeconds(d)) : new CancellationTokenSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token, timer.Token);
        var packets = await Copy(s, output, count, stop.Token).ConfigureAwait(false);
        Console.Error.WriteLine($"sharptun: {packets.ToString(CultureInfo.InvariantCulture)} packet(s) captured");
        return CliRunner.Ok;
    }

    /// <summary>Reads the "errno=N" answer byte by byte (the pcap stream follows it on the same connection).</summary>
    private static async Task<int> ReadStatus(Socket s, string name, CancellationToken token)
    {
        var text = new StringBuilder();
        var one = new byte[1];
        while (!text.ToString().EndsWith("\n\n", StringComparison.Ordinal))
        {
            if (await s.ReceiveAsync(one, token).ConfigureAwait(false) == 0)
            {
                throw new IOException($"interface '{name}' does not capture (its UAPI server closed the connection: not a SharpTun interface?)");
            }
            text.Append((char)one[0]);
        }
        var line = text.ToString().Trim();
        return line.StartsWith("errno=", StringComparison.Ordinal) && int.TryParse(line.AsSpan(6), CultureInfo.InvariantCulture, out var n) ? n : -22;
    }

    /// <summary>
    /// Copies whole pcap records until <paramref name="stop"/> or <paramref name="count"/>; then half-closes and
    /// copies what the daemon still sends, up to its end of stream. Returns the packets written.
    /// </summary>
    private static async Task<long> Copy(Socket s, Stream output, long? count, CancellationToken stop)
    {
        var pending = new List<byte>();
        var buffer = new byte[1 << 16];
        long packets = 0;
        var headerDone = false;
        var halfClosed = false;
        while (true)
        {
            int n;
            try
            {
                n = await s.ReceiveAsync(buffer, halfClosed ? CancellationToken.None : stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                s.Shutdown(SocketShutdown.Send);
                halfClosed = true;
                continue;
            }
            if (n == 0)
            {
                return packets;
            }
            pending.AddRange(buffer.AsSpan(0, n));
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pending);
            var used = 0;
            if (!headerDone && span.Length >= PcapHeader)
            {
                output.Write(span[..PcapHeader]);
                used = PcapHeader;
                headerDone = true;
            }
            while (headerDone && span.Length - used >= RecordHeader
                && span.Length - used >= RecordHeader + BinaryPrimitives.ReadInt32LittleEndian(span[(used + 8)..]))
            {
                var length = RecordHeader + BinaryPrimitives.ReadInt32LittleEndian(span[(used + 8)..]);
                if (count is null || packets < count)
                {
                    output.Write(span.Slice(used, length));
                    packets++;
                }
                used += length;
            }
            pending.RemoveRange(0, used);
            output.Flush();
            if (count is { } c && packets >= c && !halfClosed)
            {
                s.Shutdown(SocketShutdown.Send);
                halfClosed = true;
            }
        }
    }
}
