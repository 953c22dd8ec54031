using System.Text;
using SharpTun.Packets;

namespace SharpTun.Cli.Commands;

/// <summary>
/// <c>sharptun read -r FILE</c>: the packets of a pcap or pcapng file (raw IP or Ethernet, either byte
/// order, any timestamp resolution; pcapng with several interfaces and sections), printed with the same lines as a live read — tshark's columns, time
/// relative to the first record's timestamp, frames numbered as in the file — through the same filter, <c>-c</c>, <c>-x</c>, <c>-q</c>
/// and <c>-w</c> (so <c>-r in -f EXPR -w out</c> extracts packets, as tcpdump does). '-' reads stdin.
/// At the end of the file it prints nothing more, as tshark; stopped by a signal it prints the count.
/// </summary>
internal static class PcapFileRead
{
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
            Loop(reader, settings with { LinkType = reader.LinkType ?? LinkType.Raw }, path, writePath, captured);
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

    private static CaptureFileReader Open(string path)
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
        CaptureFileReader reader;
        try
        {
            reader = new CaptureFileReader(stream);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            stream.Dispose();
            throw new IOException($"cannot read pcap file '{path}': {e.Message}", e);
        }
        try
        {
            reader.ReadHeader();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            reader.Dispose();
            throw new IOException($"cannot read {Name(reader)} file '{path}': {(e is EndOfStreamException ? "the file is shorter than a pcap header (24 bytes)" : e.Message)}", e);
        }
        if (reader.Format == CaptureFileFormat.Pcap && reader.LinkType is { } link && !Supported(link))
        {
            reader.Dispose();
            throw new IOException($"cannot read pcap file '{path}': link type {(int)link} is not supported {SupportedText}");
        }
        return reader;
    }

    private const string SupportedText = "(raw IP (101) and Ethernet (1) are)";

    private static bool Supported(LinkType link) => link is LinkType.Raw or LinkType.Ethernet;

    /// <summary>Seconds cut (not rounded, as tshark) to <paramref name="digits"/> decimal places.</summary>
    private static double Truncated(long nanoseconds, int digits)
    {
        var unit = 1L;
        for (var i = Math.Clamp(digits, 0, 9); i < 9; i++)
        {
            unit *= 10;
        }
        return nanoseconds / unit * unit / 1e9;
    }

    private static string Name(CaptureFileReader reader) => reader.Format == CaptureFileFormat.PcapNg ? "pcapng" : "pcap";

    private static void Loop(CaptureFileReader reader, ReadLoop.Settings s, string path, string? writePath, ReadLoop.Counter captured)
    {
        using var owned = reader;
        // pcapng says an interface's link type with its first packet's section, so -w opens with the first packet.
        PcapWriter? pcap = null;
        var text = new char[Math.Max(PacketSummary.MaxLineLength, HexDump.LineLength)];
        var tracker = new TcpSequenceTracker();
        using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 14) { AutoFlush = false };
        long? first = null;
        var last = 0L;
        var shown = 0L;
        var index = 0L; // tshark -r numbers the file's frames, shown or not

        try
        {
            if (writePath is not null && reader.LinkType is { } known)
            {
                pcap = ReadCommand.OpenPcap(writePath, known);
                pcap.Flush();
            }
            while (s.Count == 0 || shown < s.Count)
            {
                CaptureRecord record;
                try
                {
                    if (!reader.TryRead(out record))
                    {
                        return;
                    }
                }
                catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
                {
                    throw new IOException(reader.Format == CaptureFileFormat.PcapNg
                        ? $"cannot read pcapng file '{path}': {e.Message}"
                        : $"cannot read pcap file '{path}': {(e is EndOfStreamException ? "it is cut short in the middle of a packet" : e.Message)} (record {index + 1})", e);
                }
                index++;
                if (!Supported(record.LinkType))
                {
                    throw new IOException($"cannot read pcapng file '{path}': packet {index} is on interface {record.InterfaceId}, link type {(int)record.LinkType}, which is not supported {SupportedText}");
                }
                if (record.LinkType != s.LinkType)
                {
                    s = s with { LinkType = record.LinkType }; // only when an interface of another link type speaks
                }
                if (writePath is not null)
                {
                    pcap ??= ReadCommand.OpenPcap(writePath, record.LinkType);
                    if (pcap.LinkType != record.LinkType)
                    {
                        throw new IOException($"cannot write pcap file '{writePath}': packet {index} has link type {(int)record.LinkType}, the file already holds link type {(int)pcap.LinkType} (pcap has one link type per file)");
                    }
                }
                // A Simple Packet Block has no timestamp: a blank time column, as tshark; -w gives it the time before it.
                var nanos = record.HasTimestamp ? record.UnixNanoseconds : last;
                last = nanos;
                if (record.HasTimestamp)
                {
                    first ??= nanos;
                }
                var seconds = record.HasTimestamp ? Truncated(nanos - first!.Value, record.TimestampDigits) : double.NaN;
                var stamp = DateTimeOffset.UnixEpoch.AddTicks(nanos / 100);
                if (ReadLoop.Show(s, record.Data, index, seconds, text, tracker, stdout, path, record.Data.Length, pcap, stamp, record.TimestampDigits))
                {
                    Volatile.Write(ref captured.Value, ++shown);
                }
            }
        }
        finally
        {
            if (writePath is not null && pcap is null)
            {
                pcap = ReadCommand.OpenPcap(writePath, reader.LinkType ?? LinkType.Raw); // no packet: an empty capture, as tcpdump leaves
            }
            pcap?.Dispose();
            stdout.Flush();
        }
    }
}
