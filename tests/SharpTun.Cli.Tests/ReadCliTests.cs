namespace SharpTun.Cli.Tests;

/// <summary><c>sharptun read</c>, the tutorial's tunclient: the kernel sends, we count the bytes.</summary>
public sealed class ReadCliTests
{
    [RootFact]
    public void Tun_reader_sees_three_84_byte_pings()
    {
        using var ns = NetNs.Create();
        ns.DisableIpv6();
        var dev = UniqueName.Next("rd");
        ns.St("tuntap", "add", dev, "--mode", "tun").EnsureSuccess();
        ns.Ip($"addr add 198.19.0.1/24 dev {dev}");
        ns.Ip($"link set {dev} up");
        var reader = ns.StartSt("read", "-i", dev, "--sizes", "-c", "3");
        ns.WaitAttached(dev);
        ns.Exec("ping", ["-c", "3", "-i", "0.2", "-W", "1", "198.19.0.2"]);
        Assert.True(reader.WaitForExit(30_000), "reader did not finish after three packets");
        var lines = reader.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(0, reader.ExitCode);
        Assert.Equal(Enumerable.Repeat($"Read 84 bytes from device {dev}", 3), lines);
    }

    [RootFact]
    public void Packet_information_adds_four_bytes_per_read()
    {
        using var ns = NetNs.Create();
        ns.DisableIpv6();
        var dev = UniqueName.Next("pi");
        ns.St("tuntap", "add", dev, "--mode", "tun").EnsureSuccess();
        ns.Ip($"addr add 198.19.0.1/24 dev {dev}");
        ns.Ip($"link set {dev} up");
        var reader = ns.StartSt("read", "-i", dev, "--pi", "--sizes", "-c", "2");
        ns.WaitAttached(dev);
        ns.Exec("ping", ["-c", "2", "-i", "0.2", "-W", "1", "198.19.0.2"]);
        Assert.True(reader.WaitForExit(30_000));
        var lines = reader.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Enumerable.Repeat($"Read 88 bytes from device {dev}", 2), lines);
    }

    [RootFact]
    public void Tap_reader_first_sees_a_42_byte_arp_request()
    {
        using var ns = NetNs.Create();
        ns.DisableIpv6();
        var dev = UniqueName.Next("tp");
        ns.St("tuntap", "add", dev, "--mode", "tap").EnsureSuccess();
        ns.Ip($"addr add 198.19.0.1/24 dev {dev}");
        ns.Ip($"link set {dev} up");
        var reader = ns.StartSt("read", "-i", dev, "--tap", "--sizes", "-c", "1");
        ns.WaitAttached(dev);
        ns.Exec("ping", ["-c", "1", "-W", "1", "198.19.0.2"]);
        Assert.True(reader.WaitForExit(30_000));
        Assert.Equal($"Read 42 bytes from device {dev}", reader.StandardOutput.ReadToEnd().Trim());
    }

    [RootFact]
    public void Timeout_ends_the_reader_with_success()
    {
        using var ns = NetNs.Create();
        var dev = UniqueName.Next("to");
        var r = ns.St("read", "-i", dev, "--timeout", "0.5");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.StdOut.Trim());
    }

    [RootFact]
    public void Negative_count_is_a_usage_error()
    {
        using var ns = NetNs.Create();
        var r = ns.St("read", "-i", "x0", "-c", "-1");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--count", r.StdErr);
    }
}
