namespace SharpTun.WireGuard.Host.Tests;

/// <summary>wg-quick's world-accessible rule (file &amp; directory &amp; 0007 != 0, links resolved) on real files.</summary>
public sealed class ConfigFileAccessTests
{
    [Theory]
    [InlineData(0b110_100_100, 0b111_101_101, true)]   // 0644 in 0755: others read both
    [InlineData(0b110_000_000, 0b111_101_101, false)]  // 0600 in 0755
    [InlineData(0b110_100_100, 0b111_000_000, false)]  // 0644 in 0700: others cannot reach it
    [InlineData(0b110_100_000, 0b111_101_101, false)]  // 0640 in 0755: group only
    [InlineData(0b110_000_010, 0b111_000_011, true)]   // 0602 in 0703: the write bit for others is in both
    [InlineData(0b110_000_100, 0b111_000_001, false)]  // 0604 in 0701: read vs search: no common bit, as wg-quick computes it
    public void WgQuicksRule(int fileMode, int dirMode, bool expected)
    {
        var dir = Directory.CreateTempSubdirectory("sharptun-mode-").FullName;
        try
        {
            var file = Path.Combine(dir, "wg0.conf");
            File.WriteAllText(file, "[Interface]\n");
            File.SetUnixFileMode(file, (UnixFileMode)fileMode);
            File.SetUnixFileMode(dir, (UnixFileMode)dirMode);
            Assert.Equal(expected, ConfigFileAccess.IsWorldAccessible(file));
            Assert.Equal(expected ? $"Warning: `{file}' is world accessible" : null, ConfigFileAccess.Warning(file));
        }
        finally
        {
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_000_000);
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void ASymlink_IsJudgedAndNamedByItsTarget()
    {
        var dir = Directory.CreateTempSubdirectory("sharptun-mode-").FullName;
        try
        {
            var target = Path.Combine(dir, "real.conf");
            File.WriteAllText(target, "[Interface]\n");
            File.SetUnixFileMode(target, (UnixFileMode)0b110_100_100);
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
            var link = Path.Combine(dir, "wg0.conf");
            File.CreateSymbolicLink(link, target);
            Assert.Equal($"Warning: `{target}' is world accessible", ConfigFileAccess.Warning(link));
            File.SetUnixFileMode(target, (UnixFileMode)0b110_000_000);
            Assert.Null(ConfigFileAccess.Warning(link));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
