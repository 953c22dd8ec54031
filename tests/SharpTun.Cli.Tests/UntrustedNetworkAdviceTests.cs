namespace SharpTun.Cli.Tests;

/// <summary>
/// Issue 18: the relay's warning sends people with an untrusted network to SharpTun's own WireGuard tunnel
/// (<c>sharptun wg up</c>), not to other programs — in <c>sharptun --help</c>, <c>sharptun tunnel --help</c>
/// and the man page (generated from the same command tree).
/// </summary>
public sealed class UntrustedNetworkAdviceTests
{
    private static ProcessResult St(params string[] args) => Run.Exec("dotnet", Repo.Cli(args), TimeSpan.FromSeconds(60));

    [Theory]
    [InlineData("--help")]
    [InlineData("tunnel", "--help")]
    [InlineData("generate", "man")]
    public void RelayWarning_PointsTo_SharptunWgUp(params string[] args)
    {
        var r = St(args).EnsureSuccess();
        // The man page escapes '-' as '\-' in some places; the advice has none.
        Assert.Contains("for untrusted networks use SharpTun's WireGuard tunnel, 'sharptun wg up'", r.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("wg-quick or wireguard-go", r.StdOut, StringComparison.Ordinal);
    }
}
