using System.Text;
using SharpTun.Packets;

namespace SharpTun.Cli.Commands;

/// <summary>
/// <c>sharptun read -r FILE</c>: the packets of a classic pcap file (raw IP or Ethernet, either byte
/// order, µs or ns timestamps), printed with the same lines as a live read — tshark's columns, time
/// relative to the first record's timestamp, frames numbered as in the file — through the same filter, <c>-c</c>, <c>-x</c>, <c>-q</c>
/// and <c>-w</c> (so <c>-r in -f EXPR -w out</c> extracts packets, as tcpdump does). '-' reads stdin.
/// At the end of the file it prints nothing more, as tshark; stopped by a signal it prints the count.
/// </summary>
internal static class PcapFileRead
{
    /// <summary>pcapng's Section Header Block type: what tshark and Wireshark write by default.</summary>
    private const uint PcapNgMagic = 0x0A0D0D0A;

    internal static async Task<int> RunAsync(string path, ReadLoop.Settings settings, string? writePath, double seconds, CancellationToken token)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(token);
        if (seconds > 0)
        {
            limit.CancelAfter(TimeSpan.FromSeconds(seconds));
        }
        var captured = new ReadLoop.Counter();
        // Opening and reading block (a FIFO waits for its writer, stdin may never end): both run on their
        // own thread, and a signal or --timeout ends the command without waiting for them.
        var loop = Task.Factory.StartNew(() =>
        {
            var reader = Open(path);
            Loop(reader, settings with { LinkType = reader.LinkType }, path, writePath, captured);
        }, CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var stopped = Task.Delay(Timeout.Infinite, limit.Token);
        if (await Task.WhenAny(loop, stopped).ConfigureAwait(false) == loop)
        {
            await loop.ConfigureAwait(false); // rethrows a read error
            return CliRunner.Ok;
        }
        var n = Volatile.Read(ref captured.Value);
        Console.Error.WriteLine(n == 1 ? "1 packet read" : $"{n} packets read");
        return CliRunner.Ok;
    }

    private static PcapReader Open(string path)
    {
        Stream stream;
        try
        {
            stream = path == "-" ? Console.OpenStandardInput() : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot read pcap file '{path}': {UserText.Clean(e)}", e);
        }
        PcapReader reader;
        try
        {
            reader = new PcapReader(stream);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            stream.Dispose();
            throw new IOException($"cannot read pcap file '{path}': {Why(e)}", e);
        }
        if (reader.LinkType is not (LinkType.Raw or LinkType.Ethernet))
        {
            reader.Dispose();
            throw new IOException($"cannot read pcap file '{path}': link type {(int)reader.LinkType} is not supported (raw IP (101) and Ethernet (1) are)");
        }
        return reader;
    }

    private static string Why(Exception e) => e switch
    {
        EndOfStreamException => "the file is shorter than a pcap header (24 bytes)",
        _ when e.Message.Contains($"0x{PcapNgMagic:x8}", StringComparison.Ordinal) =>
            "it is pcapng, not pcap (convert it with 'editcap -F pcap IN OUT', or capture with 'tshark -F pcap')",
        _ => e.Message,
    };

    private static void Loop(PcapReader reader, ReadLoop.Settings s, string path, string? writePath, ReadLoop.Counter captured)
    {
        using var owned = reader;
        using var pcap = writePath is null ? null : ReadCommand.OpenPcap(writePath, s.LinkType);
        pcap?.Flush();
        var text = new char[Math.Max(PacketSummary.MaxLineLength, HexDump.LineLength)];
        var tracker = new TcpSequenceTracker();
        using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 14) { AutoFlush = false };
        long? first = null;
        var shown = 0L;
        var index = 0L; // tshark -r numbers the file's frames, shown or not

        try
        {
            while (s.Count == 0 || shown < s.Count)
            {
                PcapRecord record;
                try
                {
                    if (!reader.TryRead(out record))
                    {
                        return;
                    }
                }
                catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
                {
                    throw new IOException($"cannot read pcap file '{path}': {(e is EndOfStreamException ? "it is cut short in the middle of a packet" : e.Message)} (record {index + 1})", e);
                }
                index++;
                first ??= record.UnixMicroseconds;
                var seconds = (record.UnixMicroseconds - first.Value) / 1e6;
                var stamp = DateTimeOffset.FromUnixTimeMilliseconds(record.UnixMicroseconds / 1000).AddTicks(record.UnixMicroseconds % 1000 * 10);
                if (ReadLoop.Show(s, record.Data, index, seconds, text, tracker, stdout, path, record.Data.Length, pcap, stamp))
                {
                    Volatile.Write(ref captured.Value, ++shown);
                }
            }
        }
        finally
        {
            pcap?.Flush();
            stdout.Flush();
        }
    }
}
