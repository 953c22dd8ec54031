using System.Net;
using System.Text;

namespace SharpTun.Packets.Tests;

/// <summary>
/// DNS over UDP 53 in the summary line: protocol "DNS" and tshark's Info text (queries, answers with
/// their data, the rcode and opcode in words, OPT, NSEC, compressed names, a cut-short message), judged by tshark on
/// the same packets; a non-DNS port keeps the plain UDP line. DNS over TCP (2-byte length per message,
/// RFC 1035 §4.2.2) and mDNS (UDP 5353: "QU"/"QM" questions, cache-flush records) are judged the same way.
/// </summary>
public sealed class DnsSummaryTests
{
    private static byte[] Name(string name) =>
        [.. name.Split('.', StringSplitOptions.RemoveEmptyEntries).SelectMany(l => new[] { (byte)l.Length }.Concat(Encoding.ASCII.GetBytes(l))), 0];

    private static byte[] U16(int v) => [(byte)(v >> 8), (byte)v];

    private static byte[] Header(int id, int flags, int qd, int an, int ns, int ar) =>
        [.. U16(id), .. U16(flags), .. U16(qd), .. U16(an), .. U16(ns), .. U16(ar)];

    private static byte[] Query(int id, string name, int type, bool opt = false) =>
        [.. Header(id, 0x0100, 1, 0, 0, opt ? 1 : 0), .. Name(name), .. U16(type), .. U16(1),
         .. (opt ? new byte[] { 0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, 0, 0 } : [])];

    /// <summary>A response whose records all own the question's name (a pointer to offset 12).</summary>
    private static byte[] Response(int id, string name, int type, (int Type, byte[] Data)[] answers, int rcode = 0, (int Type, byte[] Data)[]? authority = null)
    {
        authority ??= [];
        var b = new List<byte>(Header(id, 0x8180 | rcode, 1, answers.Length, authority.Length, 0));
        b.AddRange(Name(name));
        b.AddRange([.. U16(type), .. U16(1)]);
        foreach (var (t, data) in answers.Concat(authority))
        {
            b.AddRange([0xc0, 0x0c, .. U16(t), .. U16(1), 0, 0, 1, 44, .. U16(data.Length), .. data]);
        }
        return [.. b];
    }

    private static byte[] Udp(string src, string dst, ushort sport, ushort dport, byte[] payload) =>
        Build.Ipv4(src, dst, 17, Build.Udp(src, dst, sport, dport, payload));

    private static byte[] Tcp(string src, string dst, ushort sport, ushort dport, byte[] payload) =>
        Build.Ipv4(src, dst, 6, Build.Tcp(src, dst, sport, dport, 1000, 5000, 0x18, 64240, data: payload));

    /// <summary>DNS over TCP: each message after its 16-bit length.</summary>
    private static byte[] Framed(params byte[][] messages) => [.. messages.SelectMany(m => U16(m.Length).Concat(m))];

    private static byte[] Record(string name, int type, int cls, byte[] data) => [.. Name(name), .. U16(type), .. U16(cls), 0, 0, 0, 120, .. U16(data.Length), .. data];

    private static byte[] Question(string name, int type, int cls) => [.. Name(name), .. U16(type), .. U16(cls)];

    /// <summary>
    /// Each TCP packet is its own connection (ports differ): tshark reassembles within a connection, and
    /// these are judged one segment at a time (see ReadFileCliTests for segments that continue a message).
    /// </summary>
    private static IEnumerable<byte[]> TcpAndMdns()
    {
        const string c = "198.18.0.1", s = "198.18.0.2", group = "224.0.0.251";
        var query = Query(0x1234, "example.com", 1);
        var answer = Response(0x1234, "example.com", 1, [(1, IPAddress.Parse("93.184.216.34").GetAddressBytes())]);
        yield return Tcp(c, s, 41000, 53, Framed(query));                                   // DNS
        yield return Tcp(s, c, 53, 41001, Framed(answer));                                  // DNS response
        yield return Tcp(c, s, 41002, 53, Framed(Query(0x3333, "a.example", 1), Query(0x4444, "b.example", 28))); // the last one is shown
        yield return Tcp(c, s, 41003, 53, [.. Framed(query), .. Framed(Query(0x5555, "c.example", 1))[..7]]);   // whole + part: the whole one
        yield return Tcp(c, s, 41004, 53, Framed(query)[..20]);                            // part of one: TCP, held for reassembly
        yield return Tcp(c, s, 41005, 53, U16(query.Length));                               // only the length
        yield return Tcp(c, s, 41006, 53, [0]);                                             // one byte
        yield return Tcp(c, s, 41007, 53, U16(0));                                          // an empty message
        yield return Tcp(c, s, 41008, 53, Framed(answer[..6]));                             // a message shorter than the header
        yield return Tcp(c, s, 41009, 5353, Framed(query));                                 // tshark's DNS also takes TCP 5353
        yield return Tcp(c, s, 41010, 80, Framed(query));                                   // not a DNS port
        yield return Udp(c, s, 40100, 53, [0x12]);                                          // too short for an id
        yield return Udp(c, s, 40101, 53, answer[..9]);                                     // id and flags, no counts
        yield return Udp(c, s, 40102, 53, [.. Header(0x99, 0x7000, 0, 0, 0, 0)]);            // opcode 14
        foreach (var rcode in new[] { 6, 9, 11, 15 })
        {
            yield return Udp(s, c, 53, (ushort)(40110 + rcode), Response(0x0a00 + rcode, "example.com", 1, [], rcode: rcode));
        }
        yield return Udp(s, c, 53, 40120, Response(0x55, "example.com", 47, [(47, [.. Name("next.example.com"), 0, 1, 0x40])]));
        yield return Udp(c, group, 5353, 5353, [.. Header(0, 0, 1, 0, 0, 0), .. Question("printer.local", 1, 1)]);           // QM
        yield return Udp(c, group, 5353, 5353, [.. Header(0, 0, 2, 0, 0, 0), .. Question("a.local", 1, 0x8001), .. Question("b.local", 28, 1)]); // QU, QM
        yield return Udp(s, group, 5353, 5353, [.. Header(0, 0x8400, 0, 5, 0, 0),
            .. Record("_ipp._tcp.local", 12, 1, Name("p._ipp._tcp.local")),
            .. Record("p._ipp._tcp.local", 33, 0x8001, [0, 0, 0, 0, 0x02, 0x77, .. Name("printer.local")]),
            .. Record("p._ipp._tcp.local", 16, 0x8001, [5, .. "txt=1"u8.ToArray()]),
            .. Record("printer.local", 28, 0x8001, IPAddress.Parse("fe80::1").GetAddressBytes()),
            .. Record("printer.local", 1, 0x8001, [198, 18, 0, 2])]);
        yield return Udp(c, s, 40130, 5353, Query(0x77, "printer.local", 1));                // one-shot query to 5353
        yield return Udp(s, c, 5353, 40130, Response(0x77, "printer.local", 1, [(1, [198, 18, 0, 2])]));
        yield return Udp(c, group, 5353, 5353, [0, 0, 0]);                                  // too short
    }

    /// <summary>
    /// Messages split over segments of one connection (byte by byte, after the length, mid-message, a whole
    /// message with the start of the next), interleaved with a second connection and with a segment out of
    /// order: tshark reassembles, and prints the segment that completes a message as that message.
    /// </summary>
    private static IEnumerable<byte[]> Streams()
    {
        const string c = "198.18.0.1", s = "198.18.0.2";
        var seq = 1000u;
        var other = 7000u;
        byte[] Seg(byte[] payload)
        {
            var p = Build.Ipv4(c, s, 6, Build.Tcp(c, s, 42000, 53, seq, 5000, 0x18, 64240, data: payload));
            seq += (uint)payload.Length;
            return p;
        }
        byte[] Other(byte[] payload)
        {
            var p = Build.Ipv4(s, c, 6, Build.Tcp(s, c, 53, 42001, other, 9000, 0x18, 64240, data: payload));
            other += (uint)payload.Length;
            return p;
        }
        var q = Framed(Query(0x0101, "bytewise.example", 1));
        foreach (var b in q)
        {
            yield return Seg([b]);
        }
        var a = Framed(Response(0x0202, "split.example", 28, [(28, IPAddress.Parse("2001:db8::2").GetAddressBytes())]));
        yield return Seg(a[..2]);
        yield return Other(Framed(Query(0x0303, "other.example", 1))[..10]);
        yield return Seg(a[2..30]);
        yield return Other(Framed(Query(0x0303, "other.example", 1))[10..]);
        yield return Seg(a[30..]);
        var pair = Framed(Query(0x0404, "first.example", 1), Query(0x0505, "second.example", 1));
        var third = Framed(Query(0x0606, "third.example", 1));
        yield return Seg([.. pair, .. third[..5]]);
        yield return Seg(third[5..]);
        var split = Framed(Query(0x0a0a, "split.example", 1));
        var whole = Framed(Query(0x0b0b, "whole.example", 1));
        yield return Seg(split[..8]);
        yield return Seg([.. split[8..], .. whole, .. whole[..3]]); // completes one, holds one, starts one: tshark shows the first two
        yield return Seg(whole[3..]);
        var lost = Framed(Query(0x0707, "lost.example", 1));
        yield return Seg(lost[..8]);
        seq += 4; // four bytes never captured: the rest is not glued to the first part
        yield return Seg(lost[12..20]);
        yield return Seg([.. lost[20..], .. Framed(Query(0x0808, "after.example", 1))]); // read on from the lost message's end
        seq += 5;
        yield return Seg(Framed(Query(0x0909, "later.example", 1))); // a gap between messages: a segment starts one
    }

    [TsharkFact]
    public void Messages_split_over_segments_print_on_the_segment_that_completes_them() => AssertSameAsTshark([.. Streams()]);

    [TsharkFact]
    public void Tcp_and_mdns_protocol_and_info_match_tshark() => AssertSameAsTshark([.. TcpAndMdns()]);

    // tshark's TCP analysis flags (a gap, retransmissions) are not ours: compared without them.
    private const string NotCaptured = "[TCP Previous segment not captured] ";

    private static void AssertSameAsTshark(List<byte[]> packets)
    {
        var pcap = Tshark.WritePcap(LinkType.Raw, packets);
        try
        {
            var rows = Tshark.Fields(pcap, [], "_ws.col.Protocol", "_ws.col.Info");
            Assert.Equal(packets.Count, rows.Count);
            var tracker = new TcpSequenceTracker();
            for (var i = 0; i < packets.Count; i++)
            {
                var ours = PacketSummary.Format(PacketDecoder.Decode(packets[i], LinkType.Raw), tracker);
                var info = ours[(ours.IndexOf(' ', ours.IndexOf('→') + 2) + 1)..].TrimStart();
                Assert.Equal($"{rows[i][0]} {packets[i].Length} {rows[i][1].Replace(NotCaptured, "", StringComparison.Ordinal)}", info);
            }
        }
        finally
        {
            File.Delete(pcap);
        }
    }

    private static IEnumerable<byte[]> Packets()
    {
        const string c = "198.18.0.1", s = "198.18.0.2";
        yield return Udp(c, s, 40000, 53, Query(0x1a2b, "example.com", 1, opt: true));
        yield return Udp(s, c, 53, 40000, Response(0x1a2b, "example.com", 1, [(1, IPAddress.Parse("93.184.216.34").GetAddressBytes())]));
        yield return Udp(c, s, 40001, 53, Query(7, "www.example.org", 28));
        yield return Udp(s, c, 53, 40001, Response(7, "www.example.org", 28,
            [(5, Name("example.org")), (28, IPAddress.Parse("2001:db8::1").GetAddressBytes())]));
        yield return Udp(s, c, 53, 40002, Response(0x0bad, "nosuch.example.net", 1, [], rcode: 3,
            authority: [(6, [.. Name("ns.example.net"), .. Name("hostmaster.example.net"), .. new byte[20]])]));
        yield return Udp(s, c, 53, 40003, Response(0x0c0c, "example.com", 15, [(15, [0, 10, .. Name("mail.example.com")])]));
        yield return Udp(s, c, 53, 40004, Response(0x0d0d, "example.com", 12, [(12, [0xc0, 0x0c])])); // PTR back to the question's name
        yield return Udp(s, c, 53, 40005, Response(0x0e0e, "example.com", 1, [], rcode: 2));
        yield return Udp(c, s, 40006, 53, Query(0x0f0f, "example.com", 65));
        yield return Udp(c, s, 40007, 53, Query(0x1010, "example.com", 1)[..20]); // the question is cut short
        yield return Udp(c, s, 40008, 5000, [1, 2, 3]);                            // not port 53: plain UDP
    }

    [TsharkFact]
    public void Protocol_and_info_match_tshark() => AssertSameAsTshark([.. Packets()]);

    [Fact]
    public void A_response_reads_as_its_question_and_answer()
    {
        var p = Udp("198.18.0.2", "198.18.0.1", 53, 40000, Response(0x1a2b, "example.com", 1, [(1, [93, 184, 216, 34])]));
        Assert.EndsWith("DNS 73 Standard query response 0x1a2b A example.com A 93.184.216.34", PacketSummary.Format(PacketDecoder.Decode(p, LinkType.Raw)));
    }

    [Fact]
    public void A_compression_loop_ends_and_a_long_answer_list_stays_within_the_line()
    {
        var loop = Udp("198.18.0.2", "198.18.0.1", 53, 40000, [.. Header(1, 0x8180, 1, 0, 0, 0), 0xc0, 0x0c, 0, 1, 0, 1]);
        Assert.Contains("Standard query response 0x0001 A <Root>", PacketSummary.Format(PacketDecoder.Decode(loop, LinkType.Raw)));
        var many = Enumerable.Range(0, 60).Select(i => (5, Name($"host{i}.a-rather-long-label-for-testing.example.com"))).ToArray();
        var big = Udp("198.18.0.2", "198.18.0.1", 53, 40000, Response(2, "example.com", 5, many));
        var line = PacketSummary.Format(PacketDecoder.Decode(big, LinkType.Raw));
        Assert.EndsWith(" ...", line);
        Assert.True(line.Length <= PacketSummary.MaxLineLength, line);
    }
}
