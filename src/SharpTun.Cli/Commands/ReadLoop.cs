using System.Diagnostics;
using System.Text;
using SharpTun.Linux.Tun;
using SharpTun.Packets;

namespace SharpTun.Cli.Commands;

/// <summary>The per-packet loop of <c>sharptun read</c>: caller-owned buffers, no allocation per packet.</summary>
internal static class ReadLoop
{
    internal sealed record Settings(LinkType LinkType, int PrefixBytes, int Count, bool Sizes, bool Hex, bool Quiet, PacketFilter? Filter);

    /// <summary>How many packets were shown/written so far; read after the loop ends, however it ended.</summary>
    internal sealed class Counter
    {
        internal long Value;
    }

    internal static async Task RunAsync(TunDevice device, Settings s, PcapWriter? pcap, CancellationToken cancellationToken, Counter? captured = null)
    {
        var buffer = new byte[65536 + 64];
        var text = new char[Math.Max(PacketSummary.MaxLineLength, HexDump.LineLength)];
        var tracker = new TcpSequenceTracker();
        using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 14) { AutoFlush = false };
        var clock = new Stopwatch();
        var shown = 0L;
        try
        {
            while (s.Count == 0 || shown < s.Count)
            {
                var len = await device.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                var stamp = DateTimeOffset.UtcNow;
                // Relative time: 0 at the first packet, as in tshark.
                var seconds = clock.IsRunning ? clock.Elapsed.TotalSeconds : 0;
                clock.Start();
                var packet = buffer.AsSpan(Math.Min(s.PrefixBytes, len), Math.Max(0, len - s.PrefixBytes));
                if (!Show(s, packet, ++shown, seconds, text, tracker, stdout, device.Name, len, pcap, stamp))
                {
                    shown--;
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

    private static bool Show(Settings s, ReadOnlySpan<byte> packet, long number, double seconds, char[] text, TcpSequenceTracker tracker,
        StreamWriter stdout, string deviceName, int readLength, PcapWriter? pcap, DateTimeOffset stamp)
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
        else if (PacketSummary.TryFormatLine(number, seconds, decoded, text, out var n, tracker))
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
