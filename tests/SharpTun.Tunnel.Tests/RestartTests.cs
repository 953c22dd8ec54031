using System.Diagnostics;
using SharpTun.Testing;
using Xunit.Abstractions;

namespace SharpTun.Tunnel.Tests;

public sealed class RestartTests(ITestOutputHelper output)
{
    [RootFact]
    public void Traffic_resumes_after_kill_9_of_server_and_of_client_and_devices_keep_their_addresses()
    {
        using var bed = Testbed.Create(devices: false);
        string[] Server() => ["-i", Testbed.Device, "-s", "--create", "--address", $"{Testbed.TunA}/24"];
        string[] Client() => ["-i", Testbed.Device, "-c", Testbed.WireA, "--create", "--address", $"{Testbed.TunB}/24"];
        var server = bed.Start(bed.A, Server());
        server.WaitForStart();
        var client = bed.Start(bed.B, Client());
        client.WaitForStart();
        server.WaitForPeer();
        client.WaitForPeer();
        Assert.Equal(3, Testbed.Ping(bed.B, Testbed.TunA, 3));

        // The server dies hard; its device goes with it. The client keeps its device and address.
        server.Kill9();
        Assert.Contains($"{Testbed.TunB}/24", bed.B.Ip($"addr show dev {Testbed.Device}"));
        var restarted = bed.Start(bed.A, Server());
        restarted.WaitForStart();
        var sw = Stopwatch.StartNew();
        Poll.Until(() => Testbed.Ping(bed.B, Testbed.TunA, 1, 0.2) == 1, "ping through the tunnel after the server restart", TimeSpan.FromSeconds(5));
        output.WriteLine($"traffic resumed {sw.Elapsed.TotalSeconds:0.00} s after the new server started");
        Assert.Contains($"{Testbed.TunB}/24", bed.B.Ip($"addr show dev {Testbed.Device}"));
        Assert.True(client.Counters()["connections"] >= 2, "the client reconnected");

        // Now the client dies hard and comes back; the server returns to accepting.
        client.Kill9();
        Assert.Contains($"{Testbed.TunA}/24", bed.A.Ip($"addr show dev {Testbed.Device}"));
        var client2 = bed.Start(bed.B, Client());
        client2.WaitForStart();
        sw.Restart();
        Poll.Until(() => Testbed.Ping(bed.A, Testbed.TunB, 1, 0.2) == 1, "ping through the tunnel after the client restart", TimeSpan.FromSeconds(5));
        output.WriteLine($"traffic resumed {sw.Elapsed.TotalSeconds:0.00} s after the new client started");

        // A clean stop removes the device it created.
        Assert.Equal(0, client2.Stop());
        Poll.Until(() => bed.B.Exec("ip", ["link", "show", Testbed.Device]).ExitCode != 0, "the client's device removed at exit", TimeSpan.FromSeconds(5));
    }
}
