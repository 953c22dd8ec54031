using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// Issue 13, the slow test (about 2.5 min; it runs beside the others, it only pings): SharpTun
/// initiates with Debian's wireguard-go, nothing shortened on either side, and pings 5 times a
/// second past REKEY_AFTER_TIME (120 s). A second handshake must happen (both sides' latest-handshake
/// advances) and the replies never stop for more than a few seconds.
/// </summary>
[Collection(RekeyCollection.Name)]
public sealed partial class RekeyLiveTests(ITestOutputHelper output)
{
    private const double Interval = 0.2;
    private const double MaxGapSeconds = 5;

    [RootFact]
    public void TrafficPast120s_SecondHandshake_NoGapOverAFewSeconds()
    {
        using var lab = new WireLab();
        var (ours, theirs) = Pairs.WithWireGuardGo(lab, WireGuardGo.Debian, sharpTunInitiates: true);
        Traffic.Ping(ours.Host, theirs.Host.InnerV4);
        var first = theirs.Dump().Peer(ours.PublicKey).LatestHandshake;
        Assert.True(first > 0);

        // Bounded: -w 175 ends ping by itself even if the test were abandoned.
        using var ping = ours.Host.Own(Daemon.StartIn(ours.Host.Name, "ping", ["-n", "-i", Interval.ToString(CultureInfo.InvariantCulture), "-w", "175", theirs.Host.InnerV4]));
        long second = 0;
        ping.WaitUntil(() => (second = theirs.Dump().Peer(ours.PublicKey).LatestHandshake) > first,
            "a second handshake (wireguard-go's latest-handshake to advance)", TimeSpan.FromSeconds(170));
        var oursSecond = ours.WaitForHandshake(theirs.PublicKey, after: first, timeout: TimeSpan.FromSeconds(10));
        // A few more seconds of replies after the rekey, then stop ping (SIGINT: it prints its summary).
        var seenAtRekey = Replies(ping.Output).Count;
        ping.WaitUntil(() => Replies(ping.Output).Count >= seenAtRekey + 15, "replies after the rekey", TimeSpan.FromSeconds(30));
        Assert.True(ping.Interrupt(TimeSpan.FromSeconds(10)), "ping did not stop on SIGINT");

        var seqs = Replies(ping.Output);
        var maxGap = seqs.Zip(seqs.Skip(1), (x, y) => y - x).DefaultIfEmpty(1).Max();
        var sent = seqs.Count == 0 ? 0 : seqs[^1];
        output.WriteLine($"handshakes: first {first}, second {second} (+{second - first} s) by wireguard-go's clock, {oursSecond} by SharpTun's");
        output.WriteLine($"{seqs.Count} of {sent} echo replies, longest gap {maxGap * Interval:0.0} s");
        Assert.InRange(second - first, 110, 175);
        Assert.True(maxGap * Interval <= MaxGapSeconds, $"replies stopped for {maxGap * Interval:0.0} s (icmp_seq gap {maxGap})\n{ping.Output[^Math.Min(2000, ping.Output.Length)..]}");
        ours.Process.EnsureRunning("the rekey test ended");
        theirs.Process.EnsureRunning("the rekey test ended");
    }

    private static List<int> Replies(string pingOutput) =>
        [.. ReplyLine().Matches(pingOutput).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).Distinct().Order()];

    [GeneratedRegex(@"bytes from [^ ]+: icmp_seq=(\d+)")]
    private static partial Regex ReplyLine();
}
