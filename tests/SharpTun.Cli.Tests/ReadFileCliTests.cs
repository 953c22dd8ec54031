using System.Diagnostics;
using System.Text.RegularExpressions;
using SharpTun.Packets;

namespace SharpTun.Cli.Tests;

/// <summary>
/// <c>read -r FILE</c>: a pcap file's packets print as the lines tshark -r prints for the same file
/// (columns compared with runs of blanks collapsed: tshark sizes its columns to the file), frames keep the
/// file's numbers under a filter (as tshark -Y), <c>-r IN -f EXPR -w OUT</c> extracts packets, and files
/// that are not readable pcap are refused with the reason (exit 1); device options with -r are bad usage.
/// </summary>
public sealed partial class ReadFileCliTests : IDisposable
{
    private readonly List<string> _files = [];

    private static ProcessResult St(params string[] args) => Run.Exec("dotnet", Repo.Cli(args), TimeSpan.FromSeconds(60));

    private string Temp(string suffix = ".pcap")
    {
        var path = Path.Combine(Path.GetTempPath(), $"sharptun-{Guid.NewGuid():N}{suffix}");
        _files.Add(path);
        return path;
    }

    /// <summary>The one's-complement sum of RFC 1071, folded; the pseudo-header is summed by the caller into <paramref name="start"/>.</summary>
    private static ushort Sum(ReadOnlySpan<byte> b, long start = 0)
    {
        var sum = start;
        for (var i = 0; i < b.Length; i += 2)
        {
            sum += (b[i] << 8) | (i + 1 < b.Length ? b[i + 1] : 0);
        }
        while (sum >> 16 != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (ushort)~sum;
    }

    private static byte[] Ip(string src, string dst, byte protocol, byte[] payload)
    {
        var ip = new byte[20 + payload.Length];
        ip[0] = 0x45; ip[2] = (byte)(ip.Length >> 8); ip[3] = (byte)ip.Length; ip[8] = 64; ip[9] = protocol;
        System.Net.IPAddress.Parse(src).GetAddressBytes().CopyTo(ip, 12);
        System.Net.IPAddress.Parse(dst).GetAddressBytes().CopyTo(ip, 16);
        var sum = Sum(ip.AsSpan(0, 20));
        ip[10] = (byte)(sum >> 8); ip[11] = (byte)sum;
        payload.CopyTo(ip, 20);
        return ip;
    }

    private static byte[] Udp(string src, string dst, ushort sport, ushort dport, byte[] payload)
    {
        var udp = new byte[8 + payload.Length];
        udp[0] = (byte)(sport >> 8); udp[1] = (byte)sport; udp[2] = (byte)(dport >> 8); udp[3] = (byte)dport;
        udp[4] = (byte)(udp.Length >> 8); udp[5] = (byte)udp.Length;
        payload.CopyTo(udp, 8);
        return Ip(src, dst, 17, udp); // UDP checksum 0: "none" for IPv4
    }

    // A DNS query for example.com A (id 0x1a2b) and a response with its answer.
    private static readonly byte[] s_query = Convert.FromHexString("1a2b01000001000000000000076578616d706c6503636f6d0000010001");
    private static readonly byte[] s_answer = Convert.FromHexString("1a2b81800001000100000000076578616d706c6503636f6d0000010001c00c000100010000012c00045db8d822");

    private string Sample()
    {
        var path = Temp();
        using var w = new PcapWriter(File.Create(path), LinkType.Raw);
        var t = 1_700_000_000_000_000L;
        w.Write(Udp("198.18.0.1", "198.18.0.2", 40000, 53, s_query), t);
        w.Write(Udp("198.18.0.2", "198.18.0.1", 53, 40000, s_answer), t + 12_345);
        w.Write(Udp("198.19.0.1", "198.19.0.2", 40001, 5000, [1, 2, 3]), t + 500_000);
        w.Write(Udp("198.18.0.1", "198.18.0.2", 40002, 53, s_query), t + 1_250_000);
        return path;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Blanks();

    private static string[] Collapsed(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => Blanks().Replace(l.Trim(), " "))];

    [Fact]
    public void Prints_the_lines_tshark_prints_for_the_same_file()
    {
        var pcap = Sample();
        var ours = St("read", "-r", pcap);
        Assert.True(ours.ExitCode == 0, ours.ToString());
        Assert.Equal("", ours.StdErr);
        var tshark = Run.Exec("tshark", ["-n", "-r", pcap]).EnsureSuccess();
        Assert.Equal(Collapsed(tshark.StdOut), Collapsed(ours.StdOut));
        Assert.Equal(4, Collapsed(ours.StdOut).Length);
        Assert.Contains("DNS 73 Standard query response 0x1a2b A example.com A 93.184.216.34", ours.StdOut);
    }

    [Fact]
    public void A_net_filter_keeps_the_file_frame_numbers_as_tshark_Y_does()
    {
        var pcap = Sample();
        var ours = St("read", "-r", pcap, "-f", "src net 198.18.0.0/31 and port 53");
        Assert.True(ours.ExitCode == 0, ours.ToString());
        var tshark = Run.Exec("tshark", ["-n", "-r", pcap, "-Y", "ip.src == 198.18.0.0/31 && udp.port == 53"]).EnsureSuccess();
        Assert.Equal(Collapsed(tshark.StdOut), Collapsed(ours.StdOut));
        Assert.Equal(["1", "4"], Collapsed(ours.StdOut).Select(l => l.Split(' ')[0]));
    }

    [Fact]
    public void Read_filter_write_extracts_the_matching_packets_with_their_timestamps()
    {
        var pcap = Sample();
        var output = Temp();
        var r = St("read", "-r", pcap, "-f", "not net 198.19", "-c", "2", "-q", "-w", output);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("", r.StdOut);
        var rows = PacketCli.Tshark(output, "frame.time_epoch", "ip.src", "dns.id");
        Assert.Equal(2, rows.Count);
        Assert.Equal(["1700000000.000000000", "198.18.0.1", "0x1a2b"], rows[0]);
        Assert.Equal(["1700000000.012345000", "198.18.0.2", "0x1a2b"], rows[1]);
    }

    [Fact]
    public void Stdin_is_read_with_a_dash()
    {
        var pcap = Sample();
        var r = Run.Exec("sh", ["-c", $"dotnet {Repo.CliDll} read -r - -c 1 < {pcap}"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Single(Collapsed(r.StdOut));
        Assert.Contains("DNS 57 Standard query 0x1a2b A example.com", r.StdOut);
    }

    [Fact]
    public void Files_that_are_not_readable_pcap_are_refused_with_the_reason()
    {
        var missing = Temp();
        AssertFails(St("read", "-r", missing), $"sharptun: cannot read pcap file '{missing}': no such file or directory");

        var text = Temp(".txt");
        File.WriteAllText(text, "this is not a capture file at all");
        AssertFails(St("read", "-r", text), $"sharptun: cannot read pcap file '{text}': not a pcap or pcapng file (magic 0x73696874)");

        // pcapng: a section header (28 bytes), then a block claiming 4 GiB.
        var ng = Temp(".pcapng");
        File.WriteAllBytes(ng, Convert.FromHexString("0a0d0d0a1c0000004d3c2b1a01000000ffffffffffffffff1c000000" + "06000000f0ffffff00000000"));
        AssertFails(St("read", "-r", ng), $"sharptun: cannot read pcapng file '{ng}': block at offset 28 has length 4294967280, more than the 16777216-byte limit");

        // pcapng: an interface of link type 113 (Linux cooked) and a packet on it.
        var ngSll = Temp(".pcapng");
        File.WriteAllBytes(ngSll, Convert.FromHexString("0a0d0d0a1c0000004d3c2b1a01000000ffffffffffffffff1c000000" + "01000000140000007100000000000400" + "14000000"
            + "0600000024000000" + "00000000" + "00000000" + "00000000" + "04000000" + "04000000" + "45000000" + "24000000"));
        AssertFails(St("read", "-r", ngSll), $"sharptun: cannot read pcapng file '{ngSll}': packet 1 is on interface 0, link type 113, which is not supported (raw IP (101) and Ethernet (1) are)");

        var sll = Temp();
        File.WriteAllBytes(sll, Convert.FromHexString("d4c3b2a1" + "02000400" + "00000000" + "00000000" + "00000400" + "71000000"));
        AssertFails(St("read", "-r", sll), $"sharptun: cannot read pcap file '{sll}': link type 113 is not supported (raw IP (101) and Ethernet (1) are)");

        // Cut in the middle of the second record: the first still prints, then the reason, exit 1.
        var cut = Temp();
        var whole = File.ReadAllBytes(Sample());
        File.WriteAllBytes(cut, whole[..(24 + 16 + 57 + 16 + 10)]);
        var r = St("read", "-r", cut);
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Single(Collapsed(r.StdOut));
        Assert.Equal($"sharptun: cannot read pcap file '{cut}': it is cut short in the middle of a packet (record 2)", r.StdErr.Trim());
    }

    private static void AssertFails(ProcessResult r, string message)
    {
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Equal("", r.StdOut);
        Assert.Equal(message, r.StdErr.Trim());
    }

    [Theory]
    [InlineData("sharptun: read: use either --interface or --read-file, not both; see 'sharptun read --help'", "-r", "x.pcap", "-i", "tun0")]
    [InlineData("sharptun: read: --tap describes a device; a pcap file says its own link type; see 'sharptun read --help'", "-r", "x.pcap", "--tap")]
    [InlineData("sharptun: read: --sizes describes a device; a pcap file says its own link type; see 'sharptun read --help'", "-r", "x.pcap", "--sizes")]
    [InlineData("sharptun: invalid filter 'net 198.18.0.1/15': non-network bits set in '198.18.0.1/15'", "-r", "x.pcap", "-f", "net 198.18.0.1/15")]
    public void Device_options_with_a_file_and_bad_filters_are_bad_usage(string message, params string[] args)
    {
        var r = St(["read", .. args]);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Equal(message, r.StdErr.Trim());
    }

    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public void A_signal_while_waiting_on_a_fifo_prints_the_count_and_exits_128_plus_signal(string signal, int expected)
    {
        var fifo = Temp(".fifo");
        Run.Exec("mkfifo", [fifo]).EnsureSuccess();
        using var reader = Run.Start("dotnet", Repo.Cli("read", "-r", fifo));
        // Opening a FIFO for writing waits for the reader: bounded, and failing fast if it died.
        var open = Task.Run(() => new FileStream(fifo, FileMode.Open, FileAccess.Write));
        Poll.Until(() => open.IsCompleted || reader.HasExited, "read -r opened the FIFO", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(50));
        Assert.False(reader.HasExited, $"read -r exited with {(reader.HasExited ? reader.ExitCode : 0)}: {(reader.HasExited ? reader.StandardError.ReadToEnd() : "")}");
        using (var writer = open.Result)
        {
            var sample = File.ReadAllBytes(Sample());
            writer.Write(sample, 0, 24 + 16 + 57); // header and the first packet; the writer stays open
            writer.Flush();
            var line = reader.StandardOutput.ReadLine();
            Assert.Contains("Standard query 0x1a2b A example.com", line);
            Run.Exec("kill", [$"-{signal}", reader.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]).EnsureSuccess();
            Assert.True(reader.WaitForExit(20_000), $"read -r did not exit after SIG{signal}");
        }
        Assert.Equal(expected, reader.ExitCode);
        Assert.Equal("1 packet read", reader.StandardError.ReadToEnd().Trim());
    }

    public void Dispose()
    {
        foreach (var f in _files)
        {
            File.Delete(f);
        }
    }
}
