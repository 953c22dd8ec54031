using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// Issue 20, live at small fixed rates: a SharpTun server with a live wireguard-go client, an attacker
/// on the same wire, and a NEW legitimate peer whose first handshake is timed under the flood.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class FloodLiveTests(ITestOutputHelper output)
{
    [RootFact]
    public void RandomDatagrams_2000PerSecond_NewHandshakeUnderOneSecond_NoLoad()
    {
        var rng = new Random(TestSeed.Get(output));
        var junk = new List<byte[]>();
        for (var i = 0; i < 1000; i++)
        {
            var m = new byte[148];
            rng.NextBytes(m);
            m[0] = 1;
            m[1] = m[2] = m[3] = 0;
            junk.Add(m);
        }
        using var lab = new WireLab();
        var (elapsed, sent, s, attacker) = NewHandshakeUnderFlood(lab, junk, 2000);
        var show = s.Show();
        output.WriteLine($"{sent} random 148-byte datagrams; new handshake + first ping reply in {elapsed.TotalMilliseconds:0} ms; drops: {show.DropsText()}");
        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"the new handshake took {elapsed.TotalMilliseconds:0} ms under 2,000/s random datagrams");
        Assert.True(show.Drops("bad_mac1") >= sent / 2, $"bad_mac1 {show.Drops("bad_mac1")} of {sent} sent");
        Assert.Equal(0, attacker.ReceivedDatagrams);
        Assert.Equal(0, CookieReplies(show));
    }

    [RootFact]
    public void ValidMac1Initiations_1000PerSecond_NoCookieDemanded_NewHandshakeUnderOneSecond()
    {
        using var lab = new WireLab();
        var (elapsed, sent, s, attacker) = NewHandshakeUnderFlood(lab, null, 1000);
        var show = s.Show();
        output.WriteLine($"{sent} valid-mac1 initiations from unknown keys; new handshake + first ping reply in {elapsed.TotalMilliseconds:0} ms; drops: {show.DropsText()}");
        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"the new handshake took {elapsed.TotalMilliseconds:0} ms under 1,000/s valid-mac1 initiations");
        Assert.Equal(0, attacker.Received.Count(m => m[0] == 3));
        Assert.Equal(0, CookieReplies(show));
        Assert.False(show.Root.GetProperty("handshake").GetProperty("under_load").GetBoolean());
        Assert.True(show.Drops("no_peer") > 0, "the initiations reached the handshake worker (unknown peer)");
    }

    private static long CookieReplies(ShowJson show) => show.Root.GetProperty("handshake").GetProperty("cookie_replies_sent").GetInt64();

    /// <summary>
    /// Floods the server at <paramref name="rate"/>/s (cycling <paramref name="datagrams"/>, or valid-mac1
    /// initiations when null) and, after 2 s of it, times a new peer's first ping (handshake included).
    /// </summary>
    private static (TimeSpan Elapsed, long Sent, SharpTunWg Server, UdpProbe Attacker) NewHandshakeUnderFlood(WireLab lab, List<byte[]>? datagrams, int rate)
    {
        {
            var hs = lab.AddHost();
            var hc = lab.AddHost();
            var ha = lab.AddHost();
            var hd = lab.AddHost();
            var ks = WgKey.Generate();
            var kc = WgKey.Generate();
            var kd = WgKey.Generate();
            var s = SharpTunWg.Start(hs, Pairs.Config(hs, ks, hc, kc, withEndpoint: false));
            WireGuardGo.Start(hc, Pairs.Config(hc, kc, hs, ks), WireGuardGo.Debian);
            Traffic.Ping(hc, hs.InnerV4);
            var attacker = ha.Own(new UdpProbe(ha, ha.OuterV4));
            s.Wg("set", s.Name, "peer", kd.Public, "allowed-ips", $"{hd.InnerV4}/32");
            WireGuardGo.Start(hd, new WgConfig(kd, Pairs.Port, [$"{hd.InnerV4}/24"],
                [new WgPeer(ks.Public, "198.19.0.0/24", $"{hs.OuterV4}:{Pairs.Port}")]), WireGuardGo.Debian);

            var flood = datagrams ?? Forge.Initiations(1000, ks.Public);
            var server = new IPEndPoint(IPAddress.Parse(hs.OuterV4), Pairs.Port);
            using var stop = new CancellationTokenSource();
            long sent = 0;
            var flooder = Task.Run(() =>
            {
                var sw = Stopwatch.StartNew();
                while (!stop.IsCancellationRequested && sw.Elapsed < TimeSpan.FromSeconds(30))
                {
                    if (sent < rate * sw.Elapsed.TotalSeconds)
                    {
                        attacker.Send(flood[(int)(sent % flood.Count)], server);
                        Interlocked.Increment(ref sent);
                    }
                    else
                    {
                        Thread.Sleep(1);
                    }
                }
            });
            TimeSpan elapsed;
            try
            {
                Poll.Until(() => Interlocked.Read(ref sent) >= 2 * rate, "two seconds of flood", TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(50));
                Assert.False(flooder.IsCompleted, "the flooder stopped early");
                var sw = Stopwatch.StartNew();
                var ping = Traffic.PingRaw(hd, hs.InnerV4, count: 1, deadlineSeconds: 15);
                elapsed = sw.Elapsed;
                Assert.True(ping.ExitCode == 0, $"the new peer got no reply under the flood:\n{ping}");
            }
            finally
            {
                stop.Cancel();
                flooder.Wait(TimeSpan.FromSeconds(10));
            }
            s.Process.EnsureRunning("after the flood");
            s.WaitQuiet();
            return (elapsed, Interlocked.Read(ref sent), s, attacker);
        }
    }
}
