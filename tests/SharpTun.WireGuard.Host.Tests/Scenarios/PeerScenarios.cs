using SharpTun.WireGuard.Host.Tests.Integration;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests.Scenarios;

/// <summary>
/// Scenario bodies, written once and run over every <see cref="IScenarioNetwork"/> (ScenariosOverFakes,
/// ScenariosOverNamespaces). The judges are the same everywhere: the bytes on the tun devices, the
/// interface's endpoint and drop counters.
/// </summary>
internal static class PeerScenarios
{
    /// <summary>Rounds of 50 packets of random sizes each way arrive byte for byte and in order; nothing is dropped.</summary>
    internal static void PacketsBothWays(ScenarioPair p, int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < 4; round++)
        {
            var toB = Enumerable.Range(0, 50).Select(i => Packets.Echo("198.19.0.1", "198.19.0.2", random.Next(0, 1372), (ushort)i)).ToList();
            ScenarioPair.Send(p.KernelA, toB);
            Assert.Equal(toB, ScenarioPair.Receive(p.KernelB, toB.Count));
            var toA = Enumerable.Range(0, 50).Select(i => Packets.Echo("198.19.0.2", "198.19.0.1", random.Next(0, 1372), (ushort)i, type: 0)).ToList();
            ScenarioPair.Send(p.KernelB, toA);
            Assert.Equal(toA, ScenarioPair.Receive(p.KernelA, toA.Count));
        }
        Assert.Equal(0, p.A.Drops.Total);
        Assert.Equal(0, p.B.Drops.Total);
    }

    /// <summary>
    /// B's address changes: A follows after one authenticated packet and reaches B there. Then a third host
    /// replays everything B sent and forges data for the live index (and sends a bogus data header and a
    /// zeroed initiation): each is dropped and counted, nothing reaches A's tun, nothing answers the third
    /// host, and the endpoint stays where B is. Runs over fakes, namespaces and live daemons (<see cref="IRoamingPair"/>).
    /// </summary>
    internal static void Roaming(IRoamingPair p, int seed, ITestOutputHelper output)
    {
        p.Exchange(1);
        Assert.Equal("198.18.0.2:51820", p.EndpointOfBOnA);

        p.MoveB();
        p.SendFromB(2);
        Assert.Equal("198.18.0.102:51820", p.EndpointOfBOnA);
        output.WriteLine($"{p.Description}: after the move A's endpoint for B is 198.18.0.102:51820");
        p.Exchange(3);

        var sent = p.SentByB();
        output.WriteLine($"{p.Description}: B sent {sent.Count} datagrams, types in order: {string.Join(",", sent.Select(d => d[0]))}");
        var liveIndex = sent.Last(d => d[0] == 4).AsSpan(4, 4).ToArray();
        var rng = new Random(seed);
        var bogus = new byte[64];
        bogus[0] = 4; // a data header for an index nobody has
        List<byte[]> spoofed = [.. sent, .. Enumerable.Range(0, 200).Select(_ => Forge.DataMessage(rng, liveIndex)), bogus, new byte[148]];
        var dropsBefore = p.WireDropsAtA;
        var deliveredBefore = p.DeliveredToA;
        using (var third = p.AddThirdHost())
        {
            foreach (var d in spoofed)
            {
                third.Send(d, ScenarioPair.EndpointOf("198.18.0.1"));
            }
            Poll.Until(() => p.WireDropsAtA - dropsBefore >= spoofed.Count, $"A to drop the {spoofed.Count} spoofed datagrams (dropped {p.WireDropsAtA - dropsBefore})", ScenarioPair.Wait);
            Assert.Equal(deliveredBefore, p.DeliveredToA);
            p.Exchange(4); // after a round trip anything A had answered the third host would have arrived
            Assert.Equal(0, third.ReceivedDatagrams);
        }
        Assert.Equal(spoofed.Count, p.WireDropsAtA - dropsBefore);
        Assert.Equal("198.18.0.102:51820", p.EndpointOfBOnA);
        output.WriteLine($"after {sent.Count} replays and 202 forgeries from 198.18.0.3: endpoint still 198.18.0.102:51820, all {spoofed.Count} dropped");
    }
}
