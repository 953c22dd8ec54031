namespace SharpTun.Packets.Tests;

/// <summary>
/// pcapng vectors written by hand (<see cref="PcapNgFile"/>): two sections in opposite byte orders, two
/// interfaces with different timestamp resolutions, enhanced and simple packet blocks, unknown blocks
/// skipped; the format told from the magic; hostile lengths refused with the block's offset and cause,
/// without an endless loop or a buffer sized by an untrusted length.
/// </summary>
public sealed class PcapNgTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const ulong T0 = 1_700_000_000_123_456; // µs
    private const long T0Ns = 1_700_000_000_123_456_000;

    private static byte[] TwoSections(out long firstPacketOffset)
    {
        var f = new PcapNgFile().Section(false)
            .Interface(LinkType.Raw)                                                    // 0: no if_tsresol, microseconds
            .Interface(LinkType.Ethernet, 65535, new PcapNgFile().Option(9, 9), [0, 0, 0, 0]); // 1: if_tsresol 10^-9
        firstPacketOffset = f.Length;
        f.Enhanced(0, T0, Vectors.EchoRequestV4)
            .Enhanced(1, (T0 * 1000) + 789, Vectors.ArpRequest, original: 60)           // ns; captured 42 of 60
            .Block(0x00000BAD, [1, 2, 3, 4, 5])                                         // unknown: skipped by its length
            .Block(4, [0, 0, 0, 0])                                                     // name resolution: not a packet
            .Simple(Vectors.EchoRequestV4);                                             // interface 0, no timestamp
        f.Section(true)                                                                 // big-endian; interfaces restart
            .Interface(LinkType.Raw, 0, f.Option(9, 0x83), f.Option(14, 0, 0, 0, 0, 0x65, 0x53, 0xF1, 0x00)) // 2^-3 s, +1700000000 s
            .Enhanced(0, 12, Vectors.EchoReplyV4);                                      // 12/8 s = 1.5 s after the offset
        return f.ToArray();
    }

    [Fact]
    public void Two_sections_two_interfaces_and_every_packet_block_read_back()
    {
        var bytes = TwoSections(out var firstPacket);
        using var r = new PcapNgReader(new MemoryStream(bytes));
        Assert.False(r.BigEndian);
        Assert.Empty(r.Interfaces); // described by the blocks after the section header: read with the packets
        var packets = new List<PcapNgPacket>();
        while (r.TryRead(out var p))
        {
            if (packets.Count == 0)
            {
                Assert.Equal(2, r.Interfaces.Count);
                Assert.Equal(new PcapNgInterface(LinkType.Ethernet, 65535, 1_000_000_000, 0), r.Interfaces[1]);
                Assert.Equal((6, 9), (r.Interfaces[0].TimestampDigits, r.Interfaces[1].TimestampDigits));
            }
            packets.Add(p);
        }
        Assert.Equal(4, packets.Count);
        Assert.Equal((0, LinkType.Raw, T0Ns, true, 84, firstPacket), (packets[0].InterfaceId, packets[0].LinkType, packets[0].UnixNanoseconds,
            packets[0].HasTimestamp, packets[0].OriginalLength, packets[0].BlockOffset));
        Assert.Equal(Vectors.EchoRequestV4, packets[0].Data);
        Assert.Equal((1, LinkType.Ethernet, T0Ns + 789, true, 60), (packets[1].InterfaceId, packets[1].LinkType, packets[1].UnixNanoseconds,
            packets[1].HasTimestamp, packets[1].OriginalLength));
        Assert.Equal(Vectors.ArpRequest, packets[1].Data);
        Assert.Equal((0, LinkType.Raw, 0L, false, 84), (packets[2].InterfaceId, packets[2].LinkType, packets[2].UnixNanoseconds,
            packets[2].HasTimestamp, packets[2].OriginalLength));
        Assert.Equal(Vectors.EchoRequestV4, packets[2].Data);
        Assert.Equal((0, LinkType.Raw, 1_700_000_001_500_000_000L, true), (packets[3].InterfaceId, packets[3].LinkType, packets[3].UnixNanoseconds,
            packets[3].HasTimestamp));
        Assert.Equal(Vectors.EchoReplyV4, packets[3].Data);
        Assert.Equal(2, r.Sections);
        Assert.True(r.BigEndian);
        Assert.Equal(new PcapNgInterface(LinkType.Raw, 0, 8, 1_700_000_000), Assert.Single(r.Interfaces));
        Assert.Equal(0, r.Interfaces[0].TimestampDigits); // 1/8 s: tshark shows whole seconds
        Assert.False(r.TryRead(out _));
    }

    [Fact]
    public void A_pipe_that_returns_a_few_bytes_at_a_time_reads_the_same()
    {
        var bytes = TwoSections(out _);
        using var whole = new CaptureFileReader(new MemoryStream(bytes));
        using var piped = new CaptureFileReader(new Trickle(bytes));
        Assert.Equal(CaptureFileFormat.PcapNg, piped.Format);
        var n = 0;
        while (whole.TryRead(out var a))
        {
            Assert.True(piped.TryRead(out var b));
            Assert.Equal((a.UnixNanoseconds, a.TimestampDigits, a.HasTimestamp, a.LinkType, a.InterfaceId, a.OriginalLength), (b.UnixNanoseconds, b.TimestampDigits, b.HasTimestamp, b.LinkType, b.InterfaceId, b.OriginalLength));
            Assert.Equal(a.Data, b.Data);
            n++;
        }
        Assert.False(piped.TryRead(out _));
        Assert.Equal(4, n);
    }

    [Theory]
    [InlineData("d4c3b2a1" + "02000400" + "00000000" + "00000000" + "00000400" + "65000000" + "00f15365" + "40e20100" + "02000000" + "02000000" + "4500", 1_700_000_000_123_456_000L, 6)]
    [InlineData("a1b23c4d" + "00020004" + "00000000" + "00000000" + "00040000" + "00000065" + "6553f100" + "075bcd15" + "00000002" + "00000002" + "4500", 1_700_000_000_123_456_789L, 9)]
    public void Classic_pcap_in_either_byte_order_and_resolution_is_told_from_its_magic(string hex, long nanos, int digits)
    {
        using var r = new CaptureFileReader(new MemoryStream(Convert.FromHexString(hex)));
        Assert.Equal(CaptureFileFormat.Pcap, r.Format);
        Assert.True(r.TryRead(out var record));
        Assert.Equal(new CaptureRecord(nanos, digits, true, record.Data, 2, LinkType.Raw, 0), record);
        Assert.Equal([0x45, 0x00], record.Data);
        Assert.Equal(LinkType.Raw, r.LinkType);
        Assert.False(r.TryRead(out _));
    }

    [Theory]
    [InlineData("", "the file is 0 bytes long, too short for any capture file header")]
    [InlineData("0a0d", "the file is 2 bytes long, too short for any capture file header")]
    public void A_file_too_short_for_a_magic_is_refused(string hex, string message) =>
        Assert.Equal(message, Assert.Throws<EndOfStreamException>(() => new CaptureFileReader(new MemoryStream(Convert.FromHexString(hex)))).Message);

    [Fact]
    public void Anything_else_is_refused_with_its_magic() =>
        Assert.Equal("not a pcap or pcapng file (magic 0x73696874)",
            Assert.Throws<InvalidDataException>(() => new CaptureFileReader(new MemoryStream("this is not a capture"u8.ToArray()))).Message);

    /// <summary>A section header (28 bytes) and one raw-IP interface (20 bytes): hostile blocks start at offset 48.</summary>
    private static PcapNgFile Prefix() => new PcapNgFile().Section(false).Interface(LinkType.Raw);

    public static TheoryData<string, byte[], string> Hostile()
    {
        var epb = new PcapNgFile().Enhanced(0, T0, Vectors.EchoRequestV4).ToArray(); // 116 bytes
        var data = new TheoryData<string, byte[], string>
        {
            { "header cut", [.. Prefix().ToArray(), .. epb[..5]], "block at offset 48 is truncated (the file ends after 5 of the 8-byte block header)" },
            { "body cut", [.. Prefix().ToArray(), .. epb[..30]], "block at offset 48 is truncated (length 116, but the file ends after 30 of its bytes)" },
            { "trailer cut", [.. Prefix().ToArray(), .. epb[..^1]], "block at offset 48 is truncated (length 116, but the file ends after 115 of its bytes)" },
            { "length < 12", Prefix().Block(6, [], length: 8).ToArray(), "block at offset 48 has length 8, less than the 12-byte minimum" },
            { "length 0", Prefix().Block(6, [], length: 0).ToArray(), "block at offset 48 has length 0, less than the 12-byte minimum" },
            { "not a multiple of 4", Prefix().Block(6, new byte[20], length: 30).ToArray(), "block at offset 48 has length 30, not a multiple of 4" },
            { "beyond the file", Prefix().Block(6, new byte[20], length: 4096).ToArray(), "block at offset 48 is truncated (length 4096, but the file ends after 32 of its bytes)" },
            { "huge", Prefix().Block(6, new byte[20], length: 0xFFFFFFF0).ToArray(), "block at offset 48 has length 4294967280, more than the 16777216-byte limit" },
            { "trailer differs", Prefix().Block(6, epb[8..^4], trailer: 999).ToArray(), "block at offset 48 ends with length 999, not the 116 it starts with" },
            { "unknown interface", Prefix().Enhanced(1, T0, Vectors.EchoRequestV4).ToArray(), "enhanced packet block at offset 48 names interface 1, but its section describes 1 (0 to 0)" },
            { "no interface yet", new PcapNgFile().Section(false).Enhanced(0, T0, [1, 2, 3, 4]).ToArray(), "enhanced packet block at offset 28 names interface 0, but its section describes no interface before it" },
            { "captured > block", Prefix().Enhanced(0, T0, Vectors.EchoRequestV4, captured: 200).ToArray(), "enhanced packet block at offset 48 has captured length 200, more than the 84 bytes the block holds" },
            { "short packet block", Prefix().Block(6, new byte[8]).ToArray(), "enhanced packet block at offset 48 has length 20, less than its 32-byte minimum" },
            { "option past the end", new PcapNgFile().Section(false).Block(1, [101, 0, 0, 0, 0, 0, 4, 0, 9, 0, 100, 0, 6, 0, 0, 0]).ToArray(),
                "interface description block at offset 28 has an option (code 9, 100 bytes) that runs past the block's end" },
            { "bad resolution", new PcapNgFile().Section(false).Interface(LinkType.Raw, 0, new PcapNgFile().Option(9, 20)).Enhanced(0, 1, [1]).ToArray(),
                "interface description block at offset 28 has timestamp resolution 0x14 (if_tsresol), finer than a 64-bit count can hold" },
            { "byte-order magic", Convert.FromHexString("0a0d0d0a1c000000deadbeef01000000ffffffffffffffff1c000000"),
                "section header at offset 0 has byte-order magic 0xefbeadde, not 0x1a2b3c4d in either byte order" },
            { "version 2", [.. Prefix().ToArray(), .. Convert.FromHexString("0a0d0d0a1c0000004d3c2b1a02000000ffffffffffffffff1c000000")],
                "section header at offset 48 has version 2.0; only version 1 is supported" },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Hostile_blocks_are_refused_with_their_offset_and_cause(string what, byte[] file, string message)
    {
        foreach (var stream in new Stream[] { new MemoryStream(file), new Trickle(file) })
        {
            var e = Assert.Throws<InvalidDataException>(() =>
            {
                using var r = new CaptureFileReader(stream);
                while (r.TryRead(out _))
                {
                }
            });
            Assert.True(message == e.Message, $"{what}: {e.Message}");
        }
    }

    [Fact]
    public void A_block_that_claims_16_MiB_on_a_pipe_allocates_only_what_arrives()
    {
        var file = Prefix().Block(6, new byte[20], length: (uint)PcapNgReader.MaxBlockLength).ToArray();
        using var r = new PcapNgReader(new Trickle(file));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => r.TryRead(out _));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("block at offset 48 is truncated (length 16777216, but the file ends after 32 of its bytes)", e.Message);
        Assert.True(allocated < 64 * 1024, $"{allocated} bytes allocated for a block of 32 bytes");
    }

    [Fact]
    public void Random_damage_ends_in_a_packet_list_or_an_error_never_a_loop()
    {
        var seed = TestSeed.Get(output);
        var rng = new Random(seed);
        var good = TwoSections(out _);
        for (var round = 0; round < 3000; round++)
        {
            var bad = good[..rng.Next(good.Length + 1)];
            for (var k = rng.Next(1, 4); k > 0 && bad.Length > 0; k--)
            {
                bad[rng.Next(bad.Length)] = (byte)rng.Next(256);
            }
            try
            {
                using var r = new CaptureFileReader(new MemoryStream(bad));
                var n = 0;
                while (r.TryRead(out _))
                {
                    Assert.True(++n <= 8, $"seed {seed} round {round}: more packets than the file holds");
                }
            }
            catch (InvalidDataException)
            {
            }
            catch (EndOfStreamException)
            {
            }
        }
    }

    /// <summary>A forward-only stream that returns at most 7 bytes per read, as a pipe may.</summary>
    private sealed class Trickle(byte[] bytes) : Stream
    {
        private int _at;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(Math.Min(buffer.Length, 7), bytes.Length - _at);
            bytes.AsSpan(_at, n).CopyTo(buffer);
            _at += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
