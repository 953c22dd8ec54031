using System.Diagnostics;
using System.Text;
using SharpTun.IO;
using SharpTun.Packets;

namespace SharpTun.Cli.Commands;

/// <summary>
/// The packet loop of <c>sharptun read</c> on the batched queue API: one thread reads batches into
/// caller-owned buffers (no allocation per packet); cancellation shuts the queue down, which wakes
/// the blocked read at once.
/// </summary>
internal static class ReadLoop
{
    internal sealed record Settings(LinkType LinkType, int PrefixBytes, int Count, bool Sizes, bool Hex, bool Quiet, PacketFilter? Filter);

    // A read may return up to 64 KiB (a GSO packet with the virtio-net header); 16 buffers of that.
    private const int BufferSize = 65536 + 64;
    private const int MaxBatch = 16;

    /// <summary>How many packets were shown/written so far; read after the loop ends, however it ended.</summary>
    internal sealed class Counter
    {
        internal long Value;
    }

    internal static async Task RunAsync(IPacketQueue device, Settings s, PcapWriter? pcap, CancellationToken cancellationToken, Counter? captured = null)
    {
        using (cancellationToken.Register(device.Shutdown))
        {
            await Task.Factory.StartNew(() => Run(device, s, pcap, captured), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
                .ConfigureAwait(false);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static void Run(IPacketQueue device, Settings s, PcapWriter? pcap, Counter? captured)
    {
        var batch = Math.Clamp(device.BatchSize, 1, MaxBatch);
        var buffers = new Memory<byte>[batch];
        for (var i = 0; i < batch; i++)
        {
            buffers[i] = new byte[BufferSize];
        }
        var sizes = new int[batch];
        var text = new char[Math.Max(PacketSummary.MaxLineLength, HexDump.LineLength)];
        var tracker = new TcpSequenceTracker();
        using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 14) { AutoFlush = false };
        var clock = new Stopwatch();
        var shown = 0L;
        try
        {
            while (s.Count == 0 || shown < s.Count)
            {
                var got = device.Read(buffers, sizes, 0);
                if (got == 0)
                {
                    return; // shut down: cancelled or --timeout
                }
                var stamp = DateTimeOffset.UtcNow;
                for (var i = 0; i < got && (s.Count == 0 || shown < s.Count); i++)
                {
                    var len = sizes[i];
                    // Relative time: 0 at the first packet, as in tshark.
                    var seconds = clock.IsRunning ? clock.Elapsed.TotalSeconds : 0;
                    clock.Start();
                    var packet = buffers[i].Span.Slice(Math.Min(s.PrefixBytes, len), Math.Max(0, len - s.PrefixBytes));
                    if (!Show(s, packet, ++shown, seconds, text, tracker, stdout, device.Name, len, pcap, stamp))
                    {
                        shown--;
                    }
                }
            }
        }
        finally
        {
            if (captured is not null)
            {
                captured.Value = shown;
            }
            pcap?.Flush();
            stdout.Flush();
        }
    }

    internal static bool Show(Settings s, ReadOnlySpan<byte> packet, long number, double seconds, char[] text, TcpSequenceTracker tracker,
        StreamWriter stdout, string deviceName, int readLength, PcapWriter? pcap, DateTimeOffset stamp, int timeDigits = 6)
    {
        var decoded = PacketDecoder.Decode(packet, s.LinkType);
        if (s.Filter is not null && !s.Filter.Matches(decoded))
        {
            return false;
        }
        pcap?.Write(packet, stamp);
        if (s.Quiet)
        {
            // Keep the file current for readers that look while we run.
            pcap?.Flush();
            return true;
        }
        if (s.Sizes)
        {
            stdout.Write("Read ");
            stdout.Write(readLength);
            stdout.Write(" bytes from device ");
            stdout.WriteLine(deviceName);
        }
        else if (PacketSummary.TryFormatLine(number, seconds, decoded, text, out var n, tracker, timeDigits))
        {
            stdout.WriteLine(text.AsSpan(0, n));
        }
        if (s.Hex)
        {
            for (var offset = 0; offset < packet.Length; offset += HexDump.BytesPerLine)
            {
                if (HexDump.TryFormatLine(packet, offset, text, out var m))
                {
                    stdout.WriteLine(text.AsSpan(0, m));
                }
            }
            stdout.WriteLine();
        }
        pcap?.Flush();
        stdout.Flush();
        return true;
    }
}
