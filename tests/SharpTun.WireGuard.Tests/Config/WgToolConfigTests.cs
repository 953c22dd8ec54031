namespace SharpTun.WireGuard.Tests;

/// <summary>
/// wg-quick and wg as judges of the parser: <c>wg-quick strip</c> removes exactly the keys we call
/// wg-quick keys, and <c>wg setconf</c> of the stripped file sends byte for byte (host bits of allowed IPs cleared) what
/// <see cref="WireGuardConfig.ToUapiSet"/> builds from the original (case, comments, spacing, lists).
/// </summary>
public sealed class WgToolConfigTests
{
    [RootFact]
    public void WgSetconf_OfStrippedFullConfig_EqualsOurRequest()
    {
        var dir = Directory.CreateTempSubdirectory("sharptun-wgconf-");
        try
        {
            var name = UniqueName.Next("wgc");
            var path = Path.Combine(dir.FullName, name + ".conf");
            // wg would resolve a host name over the network: use a numeric endpoint for the judge.
            File.WriteAllText(path, ConfigVectors.Read("full.conf").Replace("vpn.example.com:51821", "198.18.4.4:51821", StringComparison.Ordinal));
            var ours = WireGuardConfig.Load(path);

            var strip = Run.Exec("wg-quick", ["strip", path]);
            Assert.True(strip.ExitCode == 0, strip.ToString());
            var stripped = WireGuardConfig.Parse(strip.StdOut, "stripped.conf", ConfigSyntax.Wg);
            Assert.False(stripped.Interface.HasWgQuickKeys);
            var strippedPath = Path.Combine(dir.FullName, "stripped.conf");
            File.WriteAllText(strippedPath, strip.StdOut);

            using var server = new FakeUapiServer(name, new UapiDevice());
            var set = Run.Exec("wg", ["setconf", name, strippedPath]);
            Assert.True(set.ExitCode == 0, set.ToString());
            var sent = Assert.Single(server.SetRequests);
            // wg sends 198.18.9.1/16 with its host bits (and warns); the codec clears them, as wireguard-go does on insert.
            Assert.Contains("allowed_ip=198.18.9.1/16\n", sent, StringComparison.Ordinal);
            var normalized = UapiCodec.FormatSet(UapiCodec.ParseSet(sent));
            Assert.Equal(sent.Replace("198.18.9.1/16", "198.18.0.0/16", StringComparison.Ordinal), normalized);
            Assert.Equal(normalized, UapiCodec.FormatSet(ours.ToUapiSet()));
            Assert.Equal(normalized, UapiCodec.FormatSet(stripped.ToUapiSet()));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
