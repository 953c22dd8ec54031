namespace SharpTun.Cli.Tests;

/// <summary><c>sharptun read</c> decoding and <c>-w</c> pcap, judged by tshark reading our file.</summary>
public sealed class CaptureCliTests
{
    [RootFact]
    public void Tun_capture_of_pings_and_tcp_syns_reads_back_in_tshark_exactly()
    {
        using var ns = NetNs.Create();
        ns.DisableIpv6();
        var dev = UniqueName.Next("cw");
        var pcap = PacketCli.TempPcap();
        try
        {
            ns.St("tuntap", "add", dev, "--mode", "tun").EnsureSuccess();
            ns.Ip($"addr add 198.19.0.1/24 dev {dev}");
            ns.Ip($"link set {dev} up");
            var reader = ns.StartSt("read", "-i", dev, "-w", pcap, "-c", "5");
            ns.WaitCarrier(dev);
            ns.Exec("ping", ["-c", "3", "-i", "0.2", "-W", "1", "198.19.0.2"]);
            // Nobody answers on the device side: the SYN and its retransmission after the 1 s initial RTO.
            ns.Exec("socat", ["-u", "OPEN:/dev/null", "TCP4:198.19.0.2:80,connect-timeout=2"], TimeSpan.FromSeconds(20));
            Assert.True(reader.WaitForExit(30_000), "reader did not stop after 5 packets");
            var lines = reader.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(0, reader.ExitCode);

            Assert.Equal("", PacketCli.TsharkMalformed(pcap));
            var rows = PacketCli.Tshark(pcap, "frame.len", "ip.src", "ip.dst", "_ws.col.Protocol", "icmp.type", "icmp.seq", "tcp.dstport", "tcp.flags", "tcp.srcport");
            Assert.Equal(5, rows.Count);
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(["84", "198.19.0.1", "198.19.0.2", "ICMP", "8", (i + 1).ToString()], rows[i][..6]);
                Assert.Contains($"198.19.0.1 → 198.19.0.2      ICMP 84 Echo (ping) request  id=", lines[i]);
                Assert.EndsWith($", seq={i + 1}/{(i + 1) << 8}, ttl=64", lines[i]);
            }
            for (var i = 3; i < 5; i++)
            {
                Assert.Equal(["198.19.0.1", "198.19.0.2", "TCP"], rows[i][1..4]);
                Assert.Equal("80", rows[i][6]);
                Assert.Equal("0x0002", rows[i][7]);
                Assert.Contains($"TCP 60 {rows[i][8]} → 80 [SYN] Seq=0 Win=", lines[i]);
            }
            Assert.Equal(rows[3][8], rows[4][8]);
        }
        finally
        {
            File.Delete(pcap);
        }
    }

    [RootFact]
    public void Tap_capture_starts_with_the_arp_request_then_the_queued_pings_then_tcp()
    {
        using var ns = NetNs.Create();
        ns.DisableIpv6();
        var dev = UniqueName.Next("cp");
        var pcap = PacketCli.TempPcap();
        try
        {
            ns.St("tuntap", "add", dev, "--mode", "tap").EnsureSuccess();
            ns.Ip($"addr add 198.19.0.1/24 dev {dev}");
            ns.Ip($"link set {dev} up");
            // One ARP request per 10 s, so the capture holds exactly one before we resolve the neighbour.
            ns.Exec("sysctl", ["-qw", $"net.ipv4.neigh.{dev}.retrans_time_ms=10000"]).EnsureSuccess();
            var reader = ns.StartSt("read", "-i", dev, "--tap", "-w", pcap, "-c", "6");
            ns.WaitCarrier(dev);
            var ping = ns.Start("ping", ["-c", "3", "-i", "0.2", "-W", "1", "198.19.0.2"]);
            Poll.Until(() => PacketCli.PcapRecords(pcap) >= 1, "the ARP request in the capture");
            // Resolving the neighbour releases the echo requests the kernel queued behind the ARP.
            ns.Ip($"neigh replace 198.19.0.2 lladdr 02:00:00:00:00:02 dev {dev} nud permanent");
            Assert.True(ping.WaitForExit(10_000));
            ns.Exec("socat", ["-u", "OPEN:/dev/null", "TCP4:198.19.0.2:80,connect-timeout=2"], TimeSpan.FromSeconds(20));
            Assert.True(reader.WaitForExit(30_000), "reader did not stop after 6 frames");
            var lines = reader.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var mac = ns.Sys($"/sys/class/net/{dev}/address");

            Assert.Equal("", PacketCli.TsharkMalformed(pcap));
            var rows = PacketCli.Tshark(pcap, "eth.src", "eth.dst", "arp.opcode", "arp.dst.proto_ipv4", "ip.dst", "icmp.seq", "tcp.dstport", "tcp.flags");
            Assert.Equal(6, rows.Count);
            Assert.Equal([mac, "ff:ff:ff:ff:ff:ff", "1", "198.19.0.2", "", "", "", ""], rows[0]);
            Assert.EndsWith("ARP 42 Who has 198.19.0.2? Tell 198.19.0.1", lines[0]);
            for (var i = 1; i < 4; i++)
            {
                Assert.Equal([mac, "02:00:00:00:00:02", "", "", "198.19.0.2", i.ToString(), "", ""], rows[i]);
                Assert.Contains("ICMP 98 Echo (ping) request", lines[i]);
            }
            for (var i = 4; i < 6; i++)
            {
                Assert.Equal([mac, "02:00:00:00:00:02", "", "", "198.19.0.2", "", "80", "0x0002"], rows[i]);
                Assert.Contains("TCP 74 ", lines[i]);
                Assert.Contains(" → 80 [SYN] Seq=0 Win=", lines[i]);
            }
        }
        finally
        {
            File.Delete(pcap);
        }
    }

    [RootTheory]
    [InlineData("--pi")]
    [InlineData("--vnet-hdr")]
    public void Per_packet_headers_are_stripped_from_summaries_and_pcap(string option)
    {
        using var ns = NetNs.Create();
        ns.DisableIpv6();
        var dev = UniqueName.Next("ch");
        var pcap = PacketCli.TempPcap();
        try
        {
            ns.St("tuntap", "add", dev, "--mode", "tun").EnsureSuccess();
            ns.Ip($"addr add 198.19.0.1/24 dev {dev}");
            ns.Ip($"link set {dev} up");
            var reader = ns.StartSt("read", "-i", dev, option, "-w", pcap, "-c", "2");
            ns.WaitCarrier(dev);
            ns.Exec("ping", ["-c", "2", "-i", "0.2", "-W", "1", "198.19.0.2"]);
            Assert.True(reader.WaitForExit(30_000));
            var lines = reader.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, lines.Length);
            Assert.All(lines, l => Assert.Contains("198.19.0.1 → 198.19.0.2      ICMP 84 Echo (ping) request", l));
            Assert.Equal("", PacketCli.TsharkMalformed(pcap));
            var rows = PacketCli.Tshark(pcap, "frame.len", "ip.src", "ip.dst", "icmp.seq");
            Assert.Equal([["84", "198.19.0.1", "198.19.0.2", "1"], ["84", "198.19.0.1", "198.19.0.2", "2"]], rows);
        }
        finally
        {
            File.Delete(pcap);
        }
    }

    [RootFact]
    public void Filter_hex_and_sizes_options()
    {
        using var ns = NetNs.Create();
        ns.DisableIpv6();
        var dev = UniqueName.Next("cf");
        ns.St("tuntap", "add", dev, "--mode", "tun").EnsureSuccess();
        ns.Ip($"addr add 198.19.0.1/24 dev {dev}");
        ns.Ip($"link set {dev} up");
        var reader = ns.StartSt("read", "-i", dev, "--filter", "tcp port 81", "-x", "-c", "1");
        ns.WaitCarrier(dev);
        ns.Exec("ping", ["-c", "2", "-i", "0.2", "-W", "1", "198.19.0.2"]);
        ns.Exec("socat", ["-u", "OPEN:/dev/null", "TCP4:198.19.0.2:81,connect-timeout=0.5"], TimeSpan.FromSeconds(20));
        Assert.True(reader.WaitForExit(30_000));
        var lines = reader.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // One summary line (the pings were filtered out), then 60 bytes of hex in 4 lines.
        Assert.Equal(5, lines.Length);
        Assert.Contains("→ 81 [SYN] Seq=0", lines[0]);
        Assert.StartsWith("0000  45 00 00 3c ", lines[1]);
        Assert.StartsWith("0030  ", lines[4]);

        var bad = ns.St("read", "-i", dev, "--filter", "tcp prot 80");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("invalid filter 'tcp prot 80': unknown word 'prot'", bad.StdErr);
    }
}
