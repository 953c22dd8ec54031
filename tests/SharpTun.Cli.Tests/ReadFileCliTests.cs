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

    [TsharkFact]
    public void A_pcapng_file_cut_in_a_block_prints_what_came_before_and_names_the_offset()
    {
        var ng = Temp(".pcapng");
        Run.Exec("tshark", ["-r", Sample(), "-w", ng, "-F", "pcapng"]).EnsureSuccess();
        var whole = File.ReadAllBytes(ng);
        // tshark's blocks: a section header with its options, one interface, then a packet block per packet.
        var firstPacket = PacketBlockOffsets(whole)[0];
        var second = PacketBlockOffsets(whole)[1];
        var cut = Temp(".pcapng");
        File.WriteAllBytes(cut, whole[..(second + 10)]);
        var r = St("read", "-r", cut);
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Single(Collapsed(r.StdOut));
        var length = BitConverter.ToInt32(whole, second + 4);
        Assert.Equal($"sharptun: cannot read pcapng file '{cut}': block at offset {second} is truncated (length {length}, but the file ends after 10 of its bytes)", r.StdErr.Trim());
        Assert.True(firstPacket < second);
    }

    /// <summary>Offsets of the Enhanced Packet Blocks in a little-endian pcapng file (walked by the length fields).</summary>
    private static List<int> PacketBlockOffsets(byte[] file)
    {
        var offsets = new List<int>();
        for (var at = 0; at + 8 <= file.Length; at += BitConverter.ToInt32(file, at + 4))
        {
            if (BitConverter.ToUInt32(file, at) == 6)
            {
                offsets.Add(at);
            }
        }
        return offsets;
    }

    private static byte[] Tcp(string src, string dst, ushort sport, ushort dport, uint seq, uint ack, byte flags, byte[] payload)
    {
        var tcp = new byte[20 + payload.Length];
        tcp[0] = (byte)(sport >> 8); tcp[1] = (byte)sport; tcp[2] = (byte)(dport >> 8); tcp[3] = (byte)dport;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(4), seq);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(tcp.AsSpan(8), ack);
        tcp[12] = 5 << 4; tcp[13] = flags; tcp[14] = 0xfa; tcp[15] = 0xf0;
        payload.CopyTo(tcp, 20);
        var ip = Ip(src, dst, 6, tcp);
        // Pseudo-header: both addresses, protocol 6, TCP length.
        var sum = Sum(tcp, (~Sum(ip.AsSpan(12, 8)) & 0xFFFF) + 6 + tcp.Length);
        ip[36] = (byte)(sum >> 8); ip[37] = (byte)sum;
        return ip;
    }

    private static byte[] Framed(byte[] message) => [(byte)(message.Length >> 8), (byte)message.Length, .. message];

    /// <summary>
    /// DNS over TCP (a connection from its SYN: whole messages, one query split after its length, one response
    /// split mid-message, two queries in one segment), mDNS query and response, ICMP echo requests, plain UDP:
    /// a classic pcap, turned into pcapng by tshark itself. tshark reassembles the split messages: the segment
    /// that completes one prints as DNS, the ones before it as TCP "[TCP segment of a reassembled PDU]"; so do we.
    /// </summary>
    private string Mixed()
    {
        const string c = "198.18.0.1", s = "198.18.0.2";
        var path = Temp();
        using (var w = new PcapWriter(File.Create(path), LinkType.Raw))
        {
            var t = 1_700_000_000_000_000L;
            void Put(byte[] p) => w.Write(p, t += 1_250);
            var aaaa = Convert.FromHexString("222201000001000000000000076578616d706c65036f726700001c0001");
            var aaaaAnswer = Convert.FromHexString("222281800001000100000000076578616d706c65036f726700001c0001c00c001c00010000012c001020010db8000000000000000000000001");
            var two = Framed(Convert.FromHexString("3333010000010000000000000161076578616d706c650000010001"))
                .Concat(Framed(Convert.FromHexString("4444010000010000000000000162076578616d706c650000010001"))).ToArray();
            uint cs = 1000, ss = 90000;
            Put(Tcp(c, s, 40000, 53, cs, 0, 0x02, []));
            Put(Tcp(s, c, 53, 40000, ss, cs + 1, 0x12, []));
            Put(Tcp(c, s, 40000, 53, cs + 1, ss + 1, 0x10, []));
            cs++; ss++;
            var q = Framed(s_query);
            Put(Tcp(c, s, 40000, 53, cs, ss, 0x18, q)); cs += (uint)q.Length;
            var a = Framed(s_answer);
            Put(Tcp(s, c, 53, 40000, ss, cs, 0x18, a)); ss += (uint)a.Length;
            var q2 = Framed(aaaa);
            Put(Tcp(c, s, 40000, 53, cs, ss, 0x18, q2[..2]));
            Put(Tcp(c, s, 40000, 53, cs + 2, ss, 0x18, q2[2..])); cs += (uint)q2.Length;
            var a2 = Framed(aaaaAnswer);
            Put(Tcp(s, c, 53, 40000, ss, cs, 0x18, a2[..20]));
            Put(Tcp(s, c, 53, 40000, ss + 20, cs, 0x18, a2[20..])); ss += (uint)a2.Length;
            Put(Tcp(c, s, 40000, 53, cs, ss, 0x18, two)); cs += (uint)two.Length;
            Put(Tcp(c, s, 40000, 53, cs, ss, 0x11, []));
            Put(Udp(c, "224.0.0.251", 5353, 5353, Convert.FromHexString("000000000001000000000000" + "077072696e746572056c6f63616c00" + "00010001"))); // printer.local A, QM
            Put(Udp(s, "224.0.0.251", 5353, 5353, Convert.FromHexString("000084000000000100000000" + "077072696e746572056c6f63616c00" + "0001800100000078" + "0004c6120002"))); // A, cache flush
            // Echo requests only: tshark pairs a reply with its request ("(request in 14)"), which we do not.
            Put(Icmp(c, s, 1));
            Put(Icmp(c, s, 2));
            Put(Udp("198.19.0.1", "198.19.0.2", 40001, 5000, [1, 2, 3]));
        }
        return path;
    }

    private static byte[] Icmp(string src, string dst, byte seq)
    {
        var icmp = new byte[8 + 16];
        icmp[0] = 8; icmp[4] = 0x1c; icmp[5] = 0x2a; icmp[7] = seq;
        var sum = Sum(icmp);
        icmp[2] = (byte)(sum >> 8); icmp[3] = (byte)sum;
        return Ip(src, dst, 1, icmp);
    }

    [TsharkFact]
    public void A_pcapng_file_written_by_tshark_prints_the_lines_tshark_prints()
    {
        var ng = Temp(".pcapng");
        Run.Exec("tshark", ["-r", Mixed(), "-w", ng, "-F", "pcapng"]).EnsureSuccess();
        Assert.Equal(0x0A0D0D0Au, BitConverter.ToUInt32(File.ReadAllBytes(ng), 0));
        var ours = St("read", "-r", ng);
        Assert.True(ours.ExitCode == 0, ours.ToString());
        Assert.Equal("", ours.StdErr);
        var tshark = Collapsed(Run.Exec("tshark", ["-n", "-r", ng]).EnsureSuccess().StdOut);
        var lines = Collapsed(ours.StdOut);
        Assert.Equal(tshark, lines);
        Assert.Equal(16, lines.Length);
        Assert.EndsWith("DNS 71 Standard query 0x1a2b A example.com", lines[3]);
        Assert.EndsWith("DNS 87 Standard query response 0x1a2b A example.com A 93.184.216.34", lines[4]);
        Assert.EndsWith("TCP 42 40000 → 53 [PSH, ACK] Seq=32 Ack=48 Win=64240 Len=2 [TCP segment of a reassembled PDU]", lines[5]);
        Assert.EndsWith("DNS 69 Standard query 0x2222 AAAA example.org", lines[6]);
        Assert.EndsWith("[TCP segment of a reassembled PDU]", lines[7]);
        Assert.EndsWith("DNS 79 Standard query response 0x2222 AAAA example.org AAAA 2001:db8::1", lines[8]);
        Assert.EndsWith("DNS 98 Standard query 0x4444 A b.example", lines[9]);
        Assert.Contains("MDNS 69 Standard query response 0x0000 A, cache flush 198.18.0.2", ours.StdOut);
    }

    /// <summary>One little-endian pcapng block: type, total length, body padded to 4, total length.</summary>
    private static byte[] Block(uint type, byte[] body)
    {
        byte[] padded = [.. body, .. new byte[(4 - (body.Length % 4)) % 4]];
        var length = BitConverter.GetBytes(12 + padded.Length);
        return [.. BitConverter.GetBytes(type), .. length, .. padded, .. length];
    }

    private static byte[] Epb(uint iface, ulong ticks, byte[] data) =>
        Block(6, [.. BitConverter.GetBytes(iface), .. BitConverter.GetBytes((uint)(ticks >> 32)), .. BitConverter.GetBytes((uint)ticks),
            .. BitConverter.GetBytes(data.Length), .. BitConverter.GetBytes(data.Length), .. data]);

    [TsharkFact]
    public void A_hand_made_pcapng_with_two_interfaces_and_a_simple_packet_prints_as_tshark()
    {
        var frame = Convert.FromHexString("ffffffffffff02000000000108004500001c000000004011" + "0000" + "c6120001c6120002" + "9c4013880008" + "0000");
        var ng = Temp(".pcapng");
        File.WriteAllBytes(ng, [
            .. Block(0x0A0D0D0A, [.. BitConverter.GetBytes(0x1A2B3C4D), 1, 0, 0, 0, .. BitConverter.GetBytes(-1L)]),
            .. Block(1, [101, 0, 0, 0, 0, 0, 4, 0]),                                                   // 0: raw IP, µs
            .. Block(1, [1, 0, 0, 0, 0, 0, 4, 0, 9, 0, 1, 0, 9, 0, 0, 0, 0, 0, 0, 0]),                 // 1: Ethernet, if_tsresol 10^-9
            .. Block(1, [101, 0, 0, 0, 0, 0, 4, 0, 9, 0, 1, 0, 0x8a, 0, 0, 0, 0, 0, 0, 0]),            // 2: raw IP, if_tsresol 2^-10
            .. Epb(0, 1_700_000_000_000_000, Udp("198.18.0.1", "198.18.0.2", 40000, 53, s_query)),
            .. Epb(1, 1_700_000_000_250_000_000, frame),                                               // 0.25 s later, in ns
            .. Block(3, [.. BitConverter.GetBytes(57), .. Udp("198.18.0.2", "198.18.0.1", 53, 40000, s_query)]), // no timestamp
            .. Block(4, [0, 0, 0, 0]),                                                                // name resolution: not a packet
            .. Epb(0, 1_700_000_001_000_000, Udp("198.18.0.2", "198.18.0.1", 53, 40000, s_answer)),
            .. Epb(2, (1_700_000_001UL * 1024) + 3, Udp("198.19.0.1", "198.19.0.2", 40001, 5000, [1, 2, 3])), // 1.0029 s: tshark cuts to ms
        ]);
        var ours = St("read", "-r", ng);
        Assert.True(ours.ExitCode == 0, ours.ToString());
        var tshark = Collapsed(Run.Exec("tshark", ["-n", "-r", ng]).EnsureSuccess().StdOut);
        Assert.Equal(tshark, Collapsed(ours.StdOut));
        // Each interface's resolution shows (ns: 9 places, 2^-10 s: 3, cut); a simple packet block has no time at all.
        Assert.Equal(["1 0.000000", "2 0.250000000", "3 198.18.0.2", "4 1.000000", "5 1.002"], Collapsed(ours.StdOut).Select(l => string.Join(' ', l.Split(' ')[..2])));
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
