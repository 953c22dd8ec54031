using SharpTun.Packets;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>Capture over fakes: exactly the chosen peer's inner packets, both directions, as a pcap tshark and PcapReader read.</summary>
public sealed class CaptureTests
{
    [Fact]
    public void CaptureOfOnePeer_HoldsExactlyItsPackets_BothDirections_ThenEnds()
    {
        using var pair = new FakePair();
        var keyOfB = SharpTun.WireGuard.WireGuardKeys.PublicKey(pair.KeyB);
        var ping = Packets.Echo("198.19.0.1", "198.19.0.2", payload: 100);
        var reply = Packets.Echo("198.19.0.2", "198.19.0.1", payload: 100, type: 0);
        pair.TunA.Inject(ping); // before the capture: not in it
        pair.Settle();
        using var file = new MemoryStream();
        var stop = 0;
        using var started = new ManualResetEventSlim();
        var run = Task.Run(() => pair.A.Capture(keyOfB, file, () => Volatile.Read(ref stop) != 0, started.Set));
        Assert.True(started.Wait(TimeSpan.FromSeconds(30)));
        for (var i = 0; i < 3; i++)
        {
            pair.TunA.Inject(ping);
            pair.Settle();
            pair.TunB.Inject(reply);
            pair.Settle();
        }
        pair.TunA.Inject(Packets.Echo("198.19.0.1", "198.19.0.99")); // no route: no peer, not captured
        pair.Settle();
        Volatile.Write(ref stop, 1);
        var (captured, dropped) = run.Wait(TimeSpan.FromSeconds(30)) ? run.Result : throw new TimeoutException("capture did not end");
        Assert.Equal((6L, 0L), (captured, dropped));

        file.Position = 0;
        using var reader = new PcapReader(new MemoryStream(file.ToArray()));
        Assert.Equal(LinkType.Raw, reader.LinkType);
        var records = new List<byte[]>();
        while (reader.TryRead(out var r))
        {
            records.Add(r.Data);
        }
        Assert.Equal([ping, reply, ping, reply, ping, reply], records);

        // Once it ended the hook is off again.
        pair.TunA.Inject(ping);
        pair.Settle();
        Assert.Equal(6, captured);
    }

    [Fact]
    public void Capture_OfAKeyNoPeerHas_IsAnErrorNamingIt()
    {
        using var pair = new FakePair();
        var key = new byte[32];
        key[0] = 7;
        var e = Assert.Throws<KeyNotFoundException>(() => pair.A.Capture(key, new MemoryStream(), () => true));
        Assert.Equal($"interface 'wga' has no peer {Convert.ToBase64String(key)}", e.Message);
    }
}
