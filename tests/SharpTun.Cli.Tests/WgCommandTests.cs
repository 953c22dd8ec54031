using SharpTun.Testing;

namespace SharpTun.Cli.Tests;

/// <summary><c>sharptun wg</c> against <c>wg</c> (wireguard-tools) as the judge.</summary>
public sealed class WgCommandTests
{
    private static ProcessResult Sharptun(string? stdin, params string[] args) =>
        Run.Exec("dotnet", Repo.Cli(args), stdin: stdin);

    private static ProcessResult Wg(string? stdin, params string[] args) => Run.Exec("wg", args, stdin: stdin);

    [Fact]
    public void Genkey_Pubkey_MatchesWgPubkey()
    {
        var priv = Sharptun(null, "wg", "genkey").EnsureSuccess().StdOut.Trim();
        Assert.Equal(44, priv.Length);
        var raw = Convert.FromBase64String(priv);
        Assert.Equal(0, raw[0] & 7);
        Assert.Equal(0x40, raw[31] & 0xC0);
        var ours = Sharptun(priv + "\n", "wg", "pubkey").EnsureSuccess().StdOut;
        var theirs = Wg(priv + "\n", "pubkey").EnsureSuccess().StdOut;
        Assert.Equal(theirs, ours);
        Assert.Equal(45, ours.Length);
    }

    [Fact]
    public void WgGenkey_SharptunPubkey_MatchesWgPubkey()
    {
        for (var i = 0; i < 3; i++)
        {
            var priv = Wg(null, "genkey").EnsureSuccess().StdOut;
            Assert.Equal(Wg(priv, "pubkey").EnsureSuccess().StdOut, Sharptun(priv, "wg", "pubkey").EnsureSuccess().StdOut);
        }
    }

    [Fact]
    public void Genpsk_Is32RandomBytes_AcceptedByWg()
    {
        var a = Sharptun(null, "wg", "genpsk").EnsureSuccess().StdOut.Trim();
        var b = Sharptun(null, "wg", "genpsk").EnsureSuccess().StdOut.Trim();
        Assert.Equal(32, Convert.FromBase64String(a).Length);
        Assert.NotEqual(a, b);
        // wg pubkey accepts any 32-byte key: proves the encoding is wg's.
        Assert.Equal(0, Wg(a, "pubkey").ExitCode);
    }

    [Theory]
    // wg's own wording for what is not 44 base64 characters; sharptun's for a wrong decoded length.
    [InlineData("not-a-key!!", "private key on stdin: key is not the correct length or format")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", "invalid private key on stdin: wrong length 31 bytes")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "invalid private key on stdin: wrong length 33 bytes")]
    [InlineData("", "private key on stdin: key is not the correct length or format")]
    public void MalformedKey_IsAClearError(string input, string expected)
    {
        var r = Sharptun(input, "wg", "pubkey");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Equal("", r.StdOut);
        Assert.Contains("sharptun: " + expected, r.StdErr);
        // wg rejects the same input too.
        Assert.NotEqual(0, Wg(input, "pubkey").ExitCode);
    }
}
