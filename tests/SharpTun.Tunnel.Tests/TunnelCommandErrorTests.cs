using System.Diagnostics;

namespace SharpTun.Tunnel.Tests;

/// <summary>The tunnel's start-up errors: named, fast, and nothing created by mistake.</summary>
public sealed class TunnelCommandErrorTests
{
    [Fact]
    public void A_missing_device_without_create_is_an_error_not_a_new_device()
    {
        var name = UniqueName.Next("nope");
        var r = Run.Exec("dotnet", Repo.Cli("tunnel", "-i", name, "-s"), TimeSpan.FromSeconds(30));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"no such device '{name}'", r.StdErr);
        Assert.Contains("--create", r.StdErr);
        Assert.NotEqual(0, Run.Exec("ip", ["link", "show", name]).ExitCode);
    }

    [Fact]
    public void An_unresolvable_server_fails_at_once_with_its_name()
    {
        var sw = Stopwatch.StartNew();
        var r = Run.Exec("dotnet", Repo.Cli("tunnel", "-i", "sttun0", "-c", "no-such-host.invalid"), TimeSpan.FromSeconds(60));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("cannot resolve server 'no-such-host.invalid'", r.StdErr);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(30), $"took {sw.Elapsed.TotalSeconds:0} s");
    }

    [Fact]
    public void Library_words_stay_in_the_library_and_option_names_in_the_cli()
    {
        var r = Run.Exec("dotnet", Repo.Cli("tunnel", "-i", "sttun0", "-s", "--create", "--address", "300.1.2.3/24"), TimeSpan.FromSeconds(30));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("invalid --address '300.1.2.3/24'", r.StdErr);
        var e = Assert.Throws<ArgumentException>(() => TunnelHost.Open(new TunnelSettings { Device = "sttun0", IsServer = true, Port = 0 }));
        Assert.Equal("invalid port 0: must be 1..65535", e.Message);
        Assert.DoesNotContain("--", e.Message);
    }
}
