using SharpTun.Testing;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>The Workers setting: where it may be set, what it refuses, and the CLI's --workers.</summary>
public sealed class WorkersSettingTests
{
    [Fact]
    public void Workers_DefaultsToTheCores_AndIsFixedOnceStarted()
    {
        using var rig = new LoadRig(1, 1, []);
        using var fresh = new LoadRig(1, 3, []);
        Assert.Equal(3, fresh.A.Workers);
        Assert.Equal(WireGuardInterface.WorkersFromEnvironment(Environment.GetEnvironmentVariable("SHARPTUN_WORKERS"))
            ?? WireGuardInterface.DefaultWorkersFor(Environment.ProcessorCount), WireGuardInterface.DefaultWorkers);
        Assert.Throws<ArgumentOutOfRangeException>(() => rig.A.Workers = 0);
        rig.A.Start();
        Assert.Equal((1, 1), rig.A.PipelineThreads); // 1 worker: one thread per direction, as a single pump
        var e = Assert.Throws<InvalidOperationException>(() => rig.A.Workers = 2);
        Assert.Equal("interface 'wgload': the number of workers can only be set before it starts", e.Message);
        fresh.A.Start();
        Assert.Equal((3, 3), fresh.A.PipelineThreads);
    }

    [Fact]
    public void DefaultWorkers_OnePerCore_ExceptOnTwoCoresOrFewer_AndTheEnvironmentDecidesWhenItSaysAValidCount()
    {
        Assert.Equal(1, WireGuardInterface.DefaultWorkersFor(1));
        Assert.Equal(1, WireGuardInterface.DefaultWorkersFor(2));
        Assert.Equal(3, WireGuardInterface.DefaultWorkersFor(3));
        Assert.Equal(64, WireGuardInterface.DefaultWorkersFor(64));
        Assert.Equal(2, WireGuardInterface.WorkersFromEnvironment("2"));
        Assert.Equal(256, WireGuardInterface.WorkersFromEnvironment("256"));
        foreach (var bad in new[] { null, "", "0", "257", "-1", "two", " 2" })
        {
            Assert.Null(WireGuardInterface.WorkersFromEnvironment(bad));
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("257")]
    [InlineData("-1")]
    public void Cli_WgUserspace_InvalidWorkers_IsRefusedBeforeAnythingIsMade(string workers)
    {
        var name = UniqueName.Next("wgw");
        var r = Run.Exec("dotnet", Repo.Cli("wg", "userspace", "-f", "--workers", workers, name));
        Assert.True(r.ExitCode is 1 or 2, r.ToString());
        Assert.Contains($"invalid --workers {workers}: use 1 to 256", r.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists($"/sys/class/net/{name}"), $"device {name} was made");
        Assert.False(File.Exists($"/var/run/wireguard/{name}.sock"), "UAPI socket was made");
    }

    [Fact]
    public void Cli_WgUserspace_Help_NamesWorkers()
    {
        var r = Run.Exec("dotnet", Repo.Cli("wg", "userspace", "--help"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("--workers <N>", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("data-plane threads per direction, 1 to 256", r.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Cli_WgUp_InvalidWorkers_IsRefusedBeforeAnythingIsMade()
    {
        var r = Run.Exec("dotnet", Repo.Cli("wg", "up", "/nonexistent/wgx.conf", "--workers", "0"));
        Assert.True(r.ExitCode is 1 or 2, r.ToString());
        Assert.Contains("invalid --workers 0: use 1 to 256", r.StdErr, StringComparison.Ordinal);
    }
}
