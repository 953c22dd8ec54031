using SharpTun.Packets;

namespace SharpTun.Cli.Tests;

// read -r on pcapng: a file tshark itself wrote (DNS over TCP whole and split, mDNS, ICMP, UDP) and one made
// by hand (interfaces of different link types and resolutions, a simple packet block, a block that is not a
// packet) print tshark's lines; a file cut inside a block prints what came before and names the offset.
public sealed partial class ReadFileCliTests
{
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
}
