using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// Issue 18: a preshared-key change (how Rosenpass adds post-quantum keys: <c>wg set IF peer K preshared-key FILE</c>
/// every ~2 minutes) keeps the session and applies to the next handshake, which SharpTun starts at once. SharpTun on
/// both hosts, a ping every 20 ms throughout; 20 changes, each made on both ends, the end that goes first
/// alternating. After each change a handshake completes (both ends' latest handshake advances, no earlier than the
/// second end's change: with different keys no handshake can complete), and pings are lost at most to one
/// handshake per change.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed partial class PresharedKeyLiveTests(ITestOutputHelper output)
{
    private const int Changes = 20;
    private const double Interval = 0.02;

    [RootFact]
    public void TwentyPskChanges_AlternatingEnds_RekeyWithTheNewKey_SessionNeverDrops()
    {
        var wall = Stopwatch.StartNew();
        using var lab = new WireLab();
        var (a, b) = Pairs.SharpTunBoth(lab, ipv6Outer: false);
        Traffic.Ping(a.Host, b.Host.InnerV4);
        var dir = Directory.CreateTempSubdirectory("sharptun-psktest-").FullName;
        try
        {
            // Bounded: -w 90 ends ping by itself even if the test were abandoned.
            using var ping = a.Host.Own(Daemon.StartIn(a.Host.Name, "ping", ["-n", "-i", Interval.ToString(CultureInfo.InvariantCulture), "-w", "90", b.Host.InnerV4]));
            ping.WaitUntil(() => Replies(ping.Output).Count >= 10, "the first replies", TimeSpan.FromSeconds(10));
            for (var i = 0; i < Changes; i++)
            {
                var psk = WgKey.Psk();
                var file = Path.Combine(dir, $"psk{i}");
                File.WriteAllText(file, psk + "\n");
                var (first, second) = i % 2 == 0 ? (a, b) : (b, a);
                var (pa, pb) = (a.Dump().Peer(b.PublicKey), b.Dump().Peer(a.PublicKey));
                var before = Math.Max(pa.LatestHandshake, pb.LatestHandshake);
                // Handshake times have one-second resolution: start in the next second so an advance is visible.
                Poll.Until(() => DateTimeOffset.UtcNow.ToUnixTimeSeconds() > before, "the next second", TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(20));
                first.Wg("set", first.Name, "peer", second.PublicKey, "preshared-key", file);
                Assert.Equal(psk, first.Dump().Peer(second.PublicKey).PresharedKey);
                var secondSet = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                second.Wg("set", second.Name, "peer", first.PublicKey, "preshared-key", file);
                long ha = 0, hb = 0;
                ping.WaitUntil(() =>
                {
                    var da = a.Dump().Peer(b.PublicKey);
                    var db = b.Dump().Peer(a.PublicKey);
                    ha = da.LatestHandshake;
                    hb = db.LatestHandshake;
                    return da.PresharedKey == psk && db.PresharedKey == psk && ha > before && hb > before;
                }, $"change {i + 1}: a handshake with the new key on both ends", TimeSpan.FromSeconds(15));
                Assert.True(Math.Min(ha, hb) >= secondSet, $"change {i + 1}: handshake at {ha}/{hb}, before the second end took the key at {secondSet}");
                // The peer and its counters lived through the change (a re-created peer would start again from 0).
                var (qa, qb) = (a.Dump().Peer(b.PublicKey), b.Dump().Peer(a.PublicKey));
                Assert.True(qa.RxBytes > pa.RxBytes && qa.TxBytes > pa.TxBytes && qb.RxBytes > pb.RxBytes && qb.TxBytes > pb.TxBytes,
                    $"change {i + 1}: transfer counters went from a {pa.RxBytes}/{pa.TxBytes} b {pb.RxBytes}/{pb.TxBytes} to a {qa.RxBytes}/{qa.TxBytes} b {qb.RxBytes}/{qb.TxBytes}");
            }
            var seen = Replies(ping.Output).Count;
            ping.WaitUntil(() => Replies(ping.Output).Count >= seen + 10, "replies after the last change", TimeSpan.FromSeconds(10));
            Assert.True(ping.Interrupt(TimeSpan.FromSeconds(10)), "ping did not stop on SIGINT");

            var m = Summary().Match(ping.Output);
            Assert.True(m.Success, "no ping summary:\n" + ping.Output[^Math.Min(2000, ping.Output.Length)..]);
            var sent = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            var received = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            var seqs = Replies(ping.Output);
            var maxGap = seqs.Zip(seqs.Skip(1), (x, y) => y - x).DefaultIfEmpty(1).Max();
            var drops = $"bad_mac_or_decrypt a {a.Show().Drops("bad_mac_or_decrypt")} b {b.Show().Drops("bad_mac_or_decrypt")}";
            output.WriteLine($"{Changes} changes in {wall.Elapsed.TotalSeconds:0.0} s (test wall time); ping every {Interval * 1000:0} ms: {received} of {sent} replies, " +
                $"longest gap {maxGap * Interval:0.00} s; {drops}");
            // The last request may be in flight when ping stops; beyond that, at most the pings of one handshake round trip per change.
            Assert.InRange(sent - received, 0, Changes + 1);
            Assert.True(maxGap * Interval < 1, $"replies stopped for {maxGap * Interval:0.00} s (icmp_seq gap {maxGap})");
            a.Process.EnsureRunning("after the changes");
            b.Process.EnsureRunning("after the changes");
            Assert.True(wall.Elapsed < TimeSpan.FromSeconds(180), $"the test took {wall.Elapsed.TotalSeconds:0} s");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static List<int> Replies(string pingOutput) =>
        [.. ReplyLine().Matches(pingOutput).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct().Order()];

    [GeneratedRegex(@"bytes from [^ ]+: icmp_seq=(\d+)")]
    private static partial Regex ReplyLine();

    [GeneratedRegex(@"(\d+) packets transmitted, (\d+) received")]
    private static partial Regex Summary();
}
