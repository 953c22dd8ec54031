using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using SharpTun.Testing;

namespace SharpTun.Tunnel.Tests;

public sealed class TunnelTransferTests(Xunit.Abstractions.ITestOutputHelper output)
{
    // With offloads (the default) the sender's kernel hands the relay 64 KB TSO super-packets that
    // it splits, and the receiving relay merges the segments again: the SHA-256 proves both exact.
    [RootTheory]
    [InlineData("tcp", true)]
    [InlineData("udp", true)]
    [InlineData("tcp", false)]
    [InlineData("udp", false)]
    public void Carries_64_MiB_intact_and_sustains_iperf3(string transport, bool offloads)
    {
        using var bed = Testbed.Create();
        var (server, client) = offloads ? bed.StartPair(transport) : bed.StartPair(transport, "--no-offload");
        var file = Path.Combine(Path.GetTempPath(), $"sharptun-payload-{Guid.NewGuid():n}");
        try
        {
            var payload = RandomNumberGenerator.GetBytes(64 * 1024 * 1024);
            File.WriteAllBytes(file, payload);
            var expected = Convert.ToHexStringLower(SHA256.HashData(payload));
            // Receiver in A hashes what arrives over a TCP connection inside the tunnel; sender in B.
            var sink = bed.A.Start("/bin/sh", ["-c", $"socat -u TCP-LISTEN:5001,bind={Testbed.TunA},reuseaddr - | sha256sum"]);
            Poll.Until(() => bed.A.Exec("ss", ["-Hltn", "sport = :5001"]).StdOut.Contains("5001", StringComparison.Ordinal), "socat listening in A");
            bed.B.Exec("socat", ["-u", $"FILE:{file}", $"TCP:{Testbed.TunA}:5001"], TimeSpan.FromSeconds(90)).EnsureSuccess();
            Assert.True(sink.WaitForExit(60_000), "receiver did not finish");
            var actual = sink.StandardOutput.ReadToEnd().Split(' ')[0].Trim();
            Assert.Equal(expected, actual);
        }
        finally
        {
            File.Delete(file);
        }

        var iperfServer = bed.A.Start("iperf3", ["-s", "-1", "-B", Testbed.TunA]);
        Poll.Until(() => bed.A.Exec("ss", ["-Hltn", "sport = :5201"]).StdOut.Contains("5201", StringComparison.Ordinal), "iperf3 listening in A");
        var r = bed.B.Exec("iperf3", ["-c", Testbed.TunA, "-t", "5", "-J"], TimeSpan.FromSeconds(40)).EnsureSuccess();
        using var json = JsonDocument.Parse(r.StdOut);
        var bps = json.RootElement.GetProperty("end").GetProperty("sum_received").GetProperty("bits_per_second").GetDouble();
        Assert.True(bps > 10e6, $"iperf3 through the {transport} tunnel: only {bps / 1e6:0.0} Mbit/s");
        iperfServer.WaitForExit(10_000);
        Assert.False(server.HasExited);
        // The tunnel carried at least the 64 MiB + iperf3 payload from B to A.
        var atServer = server.Counters();
        var atClient = client.Counters();
        Assert.True(atServer["from peer bytes"] > 64L * 1024 * 1024);
        output.WriteLine($"client split {atClient["super-packets split"]} super-packets; server wrote {atServer["super-packets written"]}");
        if (offloads)
        {
            Assert.True(atClient["super-packets split"] > 0, "the sending relay split no TSO super-packet");
            Assert.True(atServer["super-packets written"] > 0, "the receiving relay merged no segments");
        }
        else
        {
            Assert.Equal(0, atClient["super-packets split"]);
            Assert.Equal(0, atServer["super-packets written"]);
        }
        Assert.Equal(0, atServer["offload refused"] + atClient["offload refused"]);
    }

    [RootFact]
    public void Udp_survives_loss_delay_and_reordering()
    {
        using var bed = Testbed.Create();
        var server = bed.StartServer("udp");
        server.WaitForStart();
        TunnelProcess client;
        ImpairingUdpProxy? proxy = null;
        try
        {
            if (bed.TryImpair("loss 5% delay 10ms reorder 25%"))
            {
                output.WriteLine("impairment: tc netem on both ends of the wire");
                client = bed.StartClient("udp");
            }
            else
            {
                // This kernel has no sch_netem: impair the tunnel's UDP flow in user space instead.
                var seed = Random.Shared.Next();
                output.WriteLine($"impairment: no sch_netem in this kernel; user-space loss/delay/reorder proxy, seed {seed}");
                proxy = new ImpairingUdpProxy(bed.B.Name, new System.Net.IPEndPoint(System.Net.IPAddress.Parse(Testbed.WireA), 55555),
                    seed, 0.05, TimeSpan.FromMilliseconds(10), 0.25);
                client = bed.Start(bed.B, ["-i", Testbed.Device, "-c", "127.0.0.1", "-p", proxy.Front.Port.ToString(CultureInfo.InvariantCulture),
                    "--transport", "udp", "--keepalive", "1"]);
            }
            client.WaitForStart();
            server.WaitForPeer(1, 30);
            // Each round trip crosses the impaired path twice (~10% loss): 30 pings give ~27 replies.
            var replies = Testbed.Ping(bed.B, Testbed.TunA, 30, 0.1);
            output.WriteLine($"{replies}/30 replies");
            Assert.InRange(replies, 18, 30);
            Assert.False(server.HasExited, server.Output);
            Assert.False(client.HasExited, client.Output);
        }
        finally
        {
            proxy?.Dispose();
        }
    }
}
