namespace SharpTun.Packets.Tests;

public sealed class PcapTests
{
    [Fact]
    public void File_header_is_classic_libpcap_with_microseconds()
    {
        var ms = new MemoryStream();
        using (var w = new PcapWriter(ms, LinkType.Raw, leaveOpen: true))
        {
            w.Write(Vectors.EchoRequestV4, 1_700_000_000_123_456L);
        }
        var b = ms.ToArray();
        Assert.Equal("D4C3B2A1" + "0200" + "0400" + "00000000" + "00000000" + "00000400" + "65000000", Convert.ToHexString(b, 0, 24));
        // Record: seconds 1700000000 = 0x6553F100, micros 123456 = 0x1E240, 84 captured, 84 original.
        Assert.Equal("00F15365" + "40E20100" + "54000000" + "54000000", Convert.ToHexString(b, 24, 16));
        Assert.Equal(24 + 16 + 84, b.Length);
    }

    [Fact]
    public void Reader_round_trips_and_snaplen_truncates()
    {
        var ms = new MemoryStream();
        using (var w = new PcapWriter(ms, LinkType.Ethernet, snapLength: 50, leaveOpen: true))
        {
            w.Write(Vectors.ArpRequest, 1L);
            w.Write(Vectors.EchoRequestFrame, 2_000_001L);
            Assert.Equal(2, w.Count);
        }
        ms.Position = 0;
        using var r = new PcapReader(ms);
        Assert.Equal(LinkType.Ethernet, r.LinkType);
        Assert.Equal(50, r.SnapLength);
        Assert.True(r.TryRead(out var a));
        Assert.Equal(Vectors.ArpRequest, a.Data);
        Assert.Equal(1L, a.UnixMicroseconds);
        Assert.True(r.TryRead(out var e));
        Assert.Equal(50, e.Data.Length);
        Assert.Equal(98, e.OriginalLength);
        Assert.Equal(2_000_001L, e.UnixMicroseconds);
        Assert.False(r.TryRead(out _));
    }

    [Fact]
    public void Tshark_dissects_every_raw_vector_as_we_do()
    {
        var vectors = Vectors.Raw().ToList();
        var path = Tshark.WritePcap(LinkType.Raw, vectors.Select(v => v.Bytes));
        try
        {
            var malformed = Tshark.Malformed(path);
            Assert.True(malformed == "", "tshark reports: " + malformed);
            var rows = Tshark.Fields(path, ["-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE"],
                "frame.len", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "ip.ttl", "icmp.type", "icmp.seq", "icmpv6.type", "tcp.srcport",
                "tcp.dstport", "tcp.flags", "tcp.seq_raw", "udp.srcport", "udp.dstport", "ip.checksum.status", "tcp.checksum.status",
                "udp.checksum.status", "icmp.checksum.status", "icmpv6.checksum.status", "ip.frag_offset", "ip.flags.mf");
            Assert.Equal(vectors.Count, rows.Count);
            for (var i = 0; i < vectors.Count; i++)
            {
                var (name, bytes) = vectors[i];
                var f = rows[i];
                var p = PacketDecoder.Decode(bytes, LinkType.Raw);
                Assert.False(p.IsMalformed, name);
                Assert.Equal(f[0], bytes.Length.ToString());
                var (src, dst) = p.Network == NetworkLayer.Ipv4 ? (f[1], f[2]) : (f[3], f[4]);
                Assert.Equal(src.Split(',')[0], AddressText.Format(p.SourceAddress));
                Assert.Equal(dst.Split(',')[0], AddressText.Format(p.DestinationAddress));
                if (p.Network == NetworkLayer.Ipv4)
                {
                    Assert.Equal(f[5].Split(',')[0], p.Ipv4.TimeToLive.ToString());
                    Assert.Equal("1", f[15].Split(',')[0]); // header checksum good
                    // tshark 4.0 counts 8-byte units, later versions bytes.
                    Assert.Contains(f[20].Split(',')[0], new[] { (p.Ipv4.FragmentOffset / 8).ToString(), p.Ipv4.FragmentOffset.ToString() });
                    Assert.Equal(f[21].Split(',')[0] == "1", p.Ipv4.MoreFragments);
                }
                switch (p.Transport)
                {
                    case TransportLayer.Icmp:
                        Assert.Equal(f[6].Split(',')[0], p.Icmp.Type.ToString());
                        Assert.Equal("1", f[18].Split(',')[0]);
                        if (p.Icmp.IsEcho)
                        {
                            Assert.Equal(f[7], p.Icmp.Sequence.ToString());
                        }
                        break;
                    case TransportLayer.Icmpv6:
                        Assert.Equal(f[8].Split(',')[0], p.Icmpv6.Type.ToString());
                        Assert.Equal("1", f[19].Split(',')[0]);
                        break;
                    case TransportLayer.Tcp:
                        Assert.Equal(f[9], p.Tcp.SourcePort.ToString());
                        Assert.Equal(f[10], p.Tcp.DestinationPort.ToString());
                        Assert.Equal(f[11], "0x" + ((int)p.Tcp.Flags).ToString("x4"));
                        Assert.Equal(f[12], p.Tcp.SequenceNumber.ToString());
                        Assert.Equal("1", f[16]);
                        break;
                    case TransportLayer.Udp:
                        Assert.Equal(f[13], p.Udp.SourcePort.ToString());
                        Assert.Equal(f[14], p.Udp.DestinationPort.ToString());
                        Assert.Equal("1", f[17]);
                        break;
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Tshark_dissects_ethernet_vectors_and_our_replies_as_we_do()
    {
        var responder = new PacketResponder(LinkType.Ethernet, MacAddress.Parse(Vectors.PeerMac));
        var frames = Vectors.Ethernet().Select(v => v.Bytes).ToList();
        foreach (var request in new[] { Vectors.ArpRequest, Vectors.NeighborSolicitationFrame, Vectors.EchoRequestFrame,
            Build.Eth(Vectors.PeerMac, Vectors.TapMac, 0x86dd, Vectors.EchoRequestV6) })
        {
            var reply = new byte[2048];
            var (kind, n) = responder.Respond(request, reply);
            Assert.NotEqual(ResponseKind.None, kind);
            frames.Add(reply[..n]);
        }
        var path = Tshark.WritePcap(LinkType.Ethernet, frames);
        try
        {
            var malformed = Tshark.Malformed(path);
            Assert.True(malformed == "", "tshark reports: " + malformed);
            var rows = Tshark.Fields(path, ["-o", "ip.check_checksum:TRUE"], "eth.src", "eth.dst", "vlan.id", "arp.opcode", "arp.src.hw_mac",
                "arp.src.proto_ipv4", "arp.dst.proto_ipv4", "icmpv6.type", "icmpv6.nd.ns.target_address", "icmpv6.nd.na.target_address",
                "icmpv6.opt.linkaddr", "icmpv6.checksum.status", "icmp.type", "icmp.checksum.status", "ip.checksum.status", "icmpv6.nd.na.flag");
            Assert.Equal(frames.Count, rows.Count);
            for (var i = 0; i < frames.Count; i++)
            {
                var f = rows[i];
                var p = PacketDecoder.Decode(frames[i], LinkType.Ethernet);
                var what = $"frame {i + 1}: {PacketSummary.Format(p)}";
                Assert.False(p.IsMalformed, what);
                Assert.Equal(f[0], p.Ethernet.Source.ToString());
                Assert.Equal(f[1], p.Ethernet.Destination.ToString());
                Assert.Equal(f[2], p.Ethernet.VlanTagCount > 0 ? p.Ethernet.VlanId.ToString() : "");
                if (p.Network == NetworkLayer.Arp)
                {
                    Assert.Equal(f[3], p.Arp.Operation.ToString());
                    Assert.Equal(f[4], p.Arp.SenderHardwareAddress.ToString());
                    Assert.Equal(f[5], AddressText.Format(p.Arp.SenderProtocolAddress));
                    Assert.Equal(f[6], AddressText.Format(p.Arp.TargetProtocolAddress));
                }
                if (p.Transport == TransportLayer.Icmpv6)
                {
                    Assert.True(f[7] == p.Icmpv6.Type.ToString(), what);
                    Assert.True(f[11] == "1", what + " checksum status " + f[11]);
                    if (p.Icmpv6.IsNeighborMessage)
                    {
                        var target = p.Icmpv6.Type == IcmpV6Packet.NeighborSolicitation ? f[8] : f[9];
                        Assert.Equal(target, AddressText.Format(p.Icmpv6.TargetAddress));
                        var option = p.Icmpv6.Type == IcmpV6Packet.NeighborSolicitation ? IcmpV6Packet.OptionSourceLinkLayer : IcmpV6Packet.OptionTargetLinkLayer;
                        Assert.True(p.Icmpv6.TryGetLinkLayerAddress(option, out var mac));
                        Assert.Equal(f[10], mac.ToString());
                    }
                }
                if (p.Transport == TransportLayer.Icmp)
                {
                    Assert.Equal(f[12], p.Icmp.Type.ToString());
                    Assert.Equal("1", f[13]);
                    Assert.Equal("1", f[14]);
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
