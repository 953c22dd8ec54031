using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// Issue 13, fifth test: hostile input on the wire from a third namespace against a SharpTun server
/// (host 1) that has a live session with wireguard-go (host 2). WireGuard stays silent to the
/// unauthenticated: nothing reaches the tun, nothing is sent back; replays are refused; under a
/// handshake flood the cookie mechanism engages and a legitimate peer still connects.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class HostileInputLiveTests(ITestOutputHelper output)
{
    [RootFact]
    public void RandomWrongKeyForgedAndReplayedDatagrams_NothingDelivered_NothingSentBack()
    {
        using var lab = new WireLab();
        var (s, c, attacker) = ServerClientAttacker(lab);
        var seed = TestSeed.Get(output);
        var rng = new Random(seed);
        var server = new IPEndPoint(IPAddress.Parse(s.Host.OuterV4), Pairs.Port);

        // 1,000 real data datagrams client -> server, captured on the server's wire.
        List<byte[]> captured;
        using (var cap = new Capture(s.Host, "wire0", 1000, $"udp and dst port {Pairs.Port} and src host {c.Host.OuterV4} and udp[8] = 4"))
        using (var sink = new UdpProbe(s.Host, s.Host.InnerV4, 9999))
        using (var src = new UdpProbe(c.Host, c.Host.InnerV4))
        {
            var to = new IPEndPoint(IPAddress.Parse(s.Host.InnerV4), 9999);
            var sw = Stopwatch.StartNew();
            var sends = cap.SendUntilComplete(i => src.Send(BitConverter.GetBytes(i), to), maxSends: 20_000, TimeSpan.FromSeconds(60));
            captured = cap.UdpPayloads();
            output.WriteLine($"captured {captured.Count} data datagrams in {sw.ElapsedMilliseconds} ms; {sends} sent through the tunnel, {sink.ReceivedDatagrams} reached the server's socket so far");
        }
        Assert.Equal(1000, captured.Count);
        var liveIndex = captured[^1].AsSpan(4, 4).ToArray();
        s.WaitQuiet();

        var rx0 = s.DeliveredPackets();
        var endpoint0 = s.Dump().Peer(c.PublicKey).Endpoint;
        var show0 = s.Show();
        var replay0 = show0.Drops("replay");

        var sent = 0L;
        for (var i = 0; i < 100_000; i++)
        {
            var d = Forge.Random(rng);
            attacker.Send(d, server);
            sent += d.Length;
        }
        var wrongKey = WgKey.Generate().Public;
        var wrongInitiations = Forge.Initiations(1000, wrongKey);
        for (var i = 0; i < 10_000; i++)
        {
            attacker.Send(wrongInitiations[i % wrongInitiations.Count], server);
        }
        for (var i = 0; i < 1000; i++)
        {
            attacker.Send(Forge.DataMessage(rng, liveIndex), server);
        }
        s.WaitQuiet();
        output.WriteLine($"sent 100,000 random datagrams ({sent} bytes), 10,000 initiations under a wrong key (1,000 distinct), 1,000 forged data messages for live index {Convert.ToHexString(liveIndex)}");
        output.WriteLine($"server drops after: {s.Show().DropsText()}");
        Assert.Equal(0, attacker.ReceivedBytes);
        Assert.Equal(rx0, s.DeliveredPackets());

        // The captured data, replayed from the attacker's address: 0 accepted, no roaming to it.
        foreach (var d in captured)
        {
            attacker.Send(d, server);
        }
        long replayed = 0;
        Poll.Until(() => (replayed = s.Show().Drops("replay") - replay0) >= captured.Count,
            "the server to count 1,000 replays", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(300));
        output.WriteLine($"replayed {captured.Count}: {replayed} counted as replay, tun rx +{s.DeliveredPackets() - rx0}");
        Assert.Equal(captured.Count, replayed);
        Assert.Equal(rx0, s.DeliveredPackets());
        Assert.Equal(0, attacker.ReceivedBytes);
        Assert.Equal(endpoint0, s.Dump().Peer(c.PublicKey).Endpoint);

        // The real session is untouched.
        Traffic.Ping(c.Host, s.Host.InnerV4);
        s.Process.EnsureRunning("after the hostile input");
    }

    [RootFact]
    public void HandshakeFlood_CookieReplyEngages_LegitimatePeerStillConnects()
    {
        using var lab = new WireLab();
        var (s, _, attacker) = ServerClientAttacker(lab);
        var hd = lab.AddHost();
        var kd = WgKey.Generate();
        s.Wg("set", s.Name, "peer", kd.Public, "allowed-ips", $"{hd.InnerV4}/32");
        var d = WireGuardGo.Start(hd, new WgConfig(kd, Pairs.Port, [$"{hd.InnerV4}/24"],
            [new WgPeer(s.PublicKey, "198.19.0.0/24", $"{s.Host.OuterV4}:{Pairs.Port}")]), WireGuardGo.Debian);

        // Initiations with a valid mac1 for the server from static keys it does not know, cycled.
        var flood = Forge.Initiations(1000, s.PublicKey);
        var server = new IPEndPoint(IPAddress.Parse(s.Host.OuterV4), Pairs.Port);
        using var stop = new CancellationTokenSource();
        long floodSent = 0;
        const int RatePerSecond = 40_000;
        var flooder = Task.Run(() =>
        {
            var sw = Stopwatch.StartNew();
            while (!stop.IsCancellationRequested && sw.Elapsed < TimeSpan.FromSeconds(60))
            {
                if (floodSent < RatePerSecond * sw.Elapsed.TotalSeconds)
                {
                    attacker.Send(flood[(int)(floodSent % flood.Count)], server);
                    floodSent++;
                }
                else
                {
                    Thread.Sleep(1);
                }
            }
        });
        try
        {
            var sw = Stopwatch.StartNew();
            Poll.Until(() => attacker.Received.Any(m => m.Length == 64 && m[0] == 3), "a cookie reply (type 3, 64 bytes) to the flooding address",
                TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));
            output.WriteLine($"first cookie reply after {sw.Elapsed.TotalSeconds:0.0} s, {floodSent} initiations sent");

            var ping = Traffic.PingRaw(hd, s.Host.InnerV4, count: 3, deadlineSeconds: 40);
            output.WriteLine($"legitimate peer under the flood: {ping.StdOut.Trim().Split('\n').Last()} after {sw.Elapsed.TotalSeconds:0.0} s");
            Assert.True(ping.ExitCode == 0, $"the legitimate peer did not get through the flood:\n{ping}");
        }
        finally
        {
            stop.Cancel();
            flooder.Wait(TimeSpan.FromSeconds(10));
        }
        var back = attacker.Received;
        output.WriteLine($"flood: {floodSent} initiations; the attacker got {back.Count(m => m[0] == 3)} cookie replies, {back.Count(m => m[0] != 3)} other datagrams");
        Assert.Equal(0, back.Count(m => m[0] == 2));
        Assert.True(s.Dump().Peer(kd.Public).LatestHandshake > 0);
        Assert.True(d.Dump().Peer(s.PublicKey).LatestHandshake > 0);
        s.Process.EnsureRunning("after the flood");
    }

    /// <summary>SharpTun server on host 1, wireguard-go client on host 2 with a live session, attacker socket on host 3.</summary>
    private (SharpTunWg S, WireGuardGo C, UdpProbe Attacker) ServerClientAttacker(WireLab lab)
    {
        var hs = lab.AddHost();
        var hc = lab.AddHost();
        var ha = lab.AddHost();
        var ks = WgKey.Generate();
        var kc = WgKey.Generate();
        var s = SharpTunWg.Start(hs, Pairs.Config(hs, ks, hc, kc, withEndpoint: false));
        var c = WireGuardGo.Start(hc, Pairs.Config(hc, kc, hs, ks), WireGuardGo.Debian);
        Traffic.Ping(hc, hs.InnerV4);
        var attacker = ha.Own(new UdpProbe(ha, ha.OuterV4));
        return (s, c, attacker);
    }
}
