using SharpTun.Testing;

namespace SharpTun.Tunnel.Tests;

public sealed class CaptureTests
{
    [RootFact]
    public void Capture_file_holds_the_packets_the_tunnel_carried_and_tshark_reads_it()
    {
        using var bed = Testbed.Create();
        var file = Path.Combine(Path.GetTempPath(), $"sharptun-capture-{Guid.NewGuid():n}.pcap");
        try
        {
            var server = bed.StartServer("tcp", "--capture", file);
            server.WaitForStart();
            var client = bed.StartClient("tcp");
            client.WaitForStart();
            server.WaitForPeer();
            client.WaitForPeer();
            Assert.Equal(4, Testbed.Ping(bed.B, Testbed.TunA, 4));
            Assert.Equal(0, server.Stop());
            Assert.Matches(@"capture: \d+ packets written to ", server.Output);
            var r = Run.Exec("tshark", ["-r", file, "-Y", "icmp", "-T", "fields", "-e", "ip.src", "-e", "ip.dst", "-e", "icmp.type"]).EnsureSuccess();
            var lines = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(4, lines.Count(l => l.Trim() == $"{Testbed.TunB}\t{Testbed.TunA}\t8"));
            Assert.Equal(4, lines.Count(l => l.Trim() == $"{Testbed.TunA}\t{Testbed.TunB}\t0"));
            var linkType = Run.Exec("tshark", ["-r", file, "-c", "1", "-T", "fields", "-e", "frame.encap_type"]).EnsureSuccess().StdOut.Trim();
            Assert.Equal("7", linkType); // WTAP_ENCAP_RAW_IP: LINKTYPE_RAW
            client.Stop();
        }
        finally
        {
            File.Delete(file);
        }
    }
}
