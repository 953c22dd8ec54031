namespace SharpTun.WireGuard.Tests;

/// <summary>Strict base64 keys, judged by the stock <c>wg pubkey</c>: both accept and reject the same inputs.</summary>
public sealed class KeyParseTests
{
    private const string Sk = UapiVectors.PrivateKey;

    public static TheoryData<string, bool> Inputs => new()
    {
        { Sk, true },
        { Sk + "x", false },             // trailing character
        { Sk + "=", false },             // extra padding
        { Sk[..^1], false },             // no padding
        { Sk[..^2] + "h=", false },      // non-canonical low bits
        { Sk[..^2] + "w=", true },       // canonical: 'w' has zero low bits
        { Sk[..10] + " " + Sk[11..], false },
        { Sk.Replace('/', '_'), false },  // URL-safe alphabet
        { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", false },
        { new string('A', 43) + "=", true },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void TryParse_AgreesWithWg(string text, bool valid)
    {
        Assert.Equal(valid, WireGuardKeys.TryParse(text, out var key, out var problem));
        Assert.Equal(valid ? 32 : 0, key.Length);
        Assert.Equal(valid, problem.Length == 0);
        if (valid)
        {
            Assert.Equal(text, Convert.ToBase64String(key));
        }
        var wg = Run.Exec("wg", ["pubkey"], stdin: text + "\n");
        Assert.True(valid == (wg.ExitCode == 0), $"wg pubkey disagrees on '{text}': {wg}");
    }
}
