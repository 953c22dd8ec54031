using SharpTun.WireGuard;

namespace SharpTun.WireGuard.Tests;

/// <summary>Two protocol instances wired byte to byte: handshakes, data both ways, tampering, keys.</summary>
public sealed class PairTests
{
    [Fact]
    public void Handshake_ThenData_BothDirections_AllSizes()
    {
        using var pair = new PeerPair();
        pair.Handshake();
        var wire = new byte[2048];
        var inner = new byte[2048];
        for (var size = 20; size <= 1420; size++)
        {
            var pa = TestPackets.Ipv4("198.19.0.1", "198.19.0.2", size, (byte)size);
            var enc = pair.A.Encapsulate(pa, wire);
            Assert.Equal(WireGuardAction.WriteToNetwork, enc.Action);
            Assert.Equal(32 + ((size + 15) / 16 * 16), enc.Length);
            Assert.Equal(PeerPair.EndB, enc.Endpoint);
            var dec = pair.B.Decapsulate(PeerPair.EndA, wire.AsSpan(0, enc.Length), inner);
            Assert.Equal(WireGuardAction.WriteToTunnel, dec.Action);
            Assert.Same(pair.PeerAOnB, dec.Peer);
            Assert.True(inner.AsSpan(0, dec.Length).SequenceEqual(pa));

            var pb = TestPackets.Ipv4("198.19.0.2", "198.19.0.1", size, (byte)~size);
            enc = pair.B.Encapsulate(pb, wire);
            Assert.Equal(WireGuardAction.WriteToNetwork, enc.Action);
            dec = pair.A.Decapsulate(PeerPair.EndB, wire.AsSpan(0, enc.Length), inner);
            Assert.Equal(WireGuardAction.WriteToTunnel, dec.Action);
            Assert.True(inner.AsSpan(0, dec.Length).SequenceEqual(pb));
        }
        // IPv6 too.
        var p6 = TestPackets.Ipv6("2001:db8::1", "2001:db8::2", 1280);
        var e6 = pair.A.Encapsulate(p6, wire);
        var d6 = pair.B.Decapsulate(PeerPair.EndA, wire.AsSpan(0, e6.Length), inner);
        Assert.Equal(WireGuardAction.WriteToTunnel, d6.Action);
        Assert.True(inner.AsSpan(0, d6.Length).SequenceEqual(p6));
    }

    [Fact]
    public void Handshake_FromResponderSide_Works_AndPresharedKeyMustMatch()
    {
        var psk = new byte[32];
        psk[3] = 7;
        using var pair = new PeerPair(seed: 5, psk: psk);
        pair.PeerAOnB.Endpoint = PeerPair.EndA;
        // B initiates this time.
        var init = pair.B.InitiateHandshake(pair.PeerAOnB, pair.Buffer, force: true);
        var resp = pair.A.Decapsulate(PeerPair.EndB, pair.Buffer.AsSpan(0, init.Length), pair.Buffer2);
        Assert.Equal(92, resp.Length);
        var ka = pair.B.Decapsulate(PeerPair.EndA, pair.Buffer2.AsSpan(0, resp.Length), pair.Buffer);
        Assert.Equal(32, ka.Length);
        Assert.Equal(WireGuardAction.Done, pair.A.Decapsulate(PeerPair.EndB, pair.Buffer.AsSpan(0, 32), pair.Buffer2).Action);
        Assert.True(pair.PeerBOnA.HasSession);

        // Different PSK on one side: the response does not authenticate.
        using var bad = new PeerPair(seed: 6, psk: psk);
        var other = new byte[32];
        var peer = bad.B.FindPeer(bad.A.PublicKey.Span)!;
        bad.B.RemovePeer(peer);
        var replaced = bad.B.AddPeer(bad.A.PublicKey.Span, other);
        bad.B.AllowedIps.Insert(System.Net.IPAddress.Parse("198.19.0.1"), 32, replaced);
        init = bad.A.InitiateHandshake(bad.PeerBOnA, bad.Buffer, force: true);
        resp = bad.B.Decapsulate(PeerPair.EndA, bad.Buffer.AsSpan(0, init.Length), bad.Buffer2);
        Assert.Equal(WireGuardAction.WriteToNetwork, resp.Action);
        var fail = bad.A.Decapsulate(PeerPair.EndB, bad.Buffer2.AsSpan(0, resp.Length), bad.Buffer);
        Assert.Equal(WireGuardError.HandshakeFailed, fail.Error);
    }

    [Fact]
    public void FlippedBit_AnywhereInDataMessage_IsRejected()
    {
        using var pair = new PeerPair();
        pair.Handshake();
        var wire = new byte[2048];
        var inner = new byte[2048];
        var packet = TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 100);
        var enc = pair.A.Encapsulate(packet, wire);
        var original = wire.AsSpan(0, enc.Length).ToArray();
        for (var bit = 0; bit < original.Length * 8; bit++)
        {
            var copy = (byte[])original.Clone();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            var r = pair.B.Decapsulate(PeerPair.EndA, copy, inner);
            Assert.Equal(WireGuardAction.Error, r.Action);
        }
        // The untouched message still decrypts (nothing above consumed its counter).
        Assert.Equal(WireGuardAction.WriteToTunnel, pair.B.Decapsulate(PeerPair.EndA, original, inner).Action);
        // And a replay of it is refused.
        Assert.Equal(WireGuardError.Replay, pair.B.Decapsulate(PeerPair.EndA, original, inner).Error);
    }

    [Fact]
    public void FlippedBit_InHandshakeMessages_IsRejected()
    {
        using var pair = new PeerPair();
        var init = pair.A.InitiateHandshake(pair.PeerBOnA, pair.Buffer, force: true);
        var original = pair.Buffer.AsSpan(0, init.Length).ToArray();
        // Bits of mac2 are not checked when not under load; every other bit is covered by mac1 or the AEADs.
        for (var bit = 0; bit < 132 * 8; bit++)
        {
            var copy = (byte[])original.Clone();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.Equal(WireGuardAction.Error, pair.B.Decapsulate(PeerPair.EndA, copy, pair.Buffer2).Action);
        }
        var resp = pair.B.Decapsulate(PeerPair.EndA, original, pair.Buffer2);
        Assert.Equal(92, resp.Length);
        var respBytes = pair.Buffer2.AsSpan(0, 92).ToArray();
        for (var bit = 0; bit < 76 * 8; bit++)
        {
            var copy = (byte[])respBytes.Clone();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.Equal(WireGuardAction.Error, pair.A.Decapsulate(PeerPair.EndB, copy, pair.Buffer).Action);
        }
        Assert.Equal(WireGuardAction.WriteToNetwork, pair.A.Decapsulate(PeerPair.EndB, respBytes, pair.Buffer).Action);
    }

    [Fact]
    public void WrongKeys_AreRejected()
    {
        using var pair = new PeerPair();
        // C knows B's public key but B has no peer with C's key.
        var kc = WireGuardKeys.GeneratePrivateKey();
        using var c = new WireGuardDevice(kc, pair.Clock);
        var bOnC = c.AddPeer(pair.B.PublicKey.Span);
        bOnC.Endpoint = PeerPair.EndB;
        var init = c.InitiateHandshake(bOnC, pair.Buffer, force: true);
        Assert.Equal(WireGuardError.UnknownPeer, pair.B.Decapsulate(PeerPair.EndA, pair.Buffer.AsSpan(0, init.Length), pair.Buffer2).Error);

        // D thinks B has a different public key: mac1 fails at B.
        using var d = new WireGuardDevice(WireGuardKeys.GeneratePrivateKey(), pair.Clock);
        var wrong = d.AddPeer(WireGuardKeys.PublicKey(WireGuardKeys.GeneratePrivateKey()));
        wrong.Endpoint = PeerPair.EndB;
        init = d.InitiateHandshake(wrong, pair.Buffer, force: true);
        Assert.Equal(WireGuardError.InvalidMac, pair.B.Decapsulate(PeerPair.EndA, pair.Buffer.AsSpan(0, init.Length), pair.Buffer2).Error);
    }

    [Fact]
    public void InnerSource_NotInSendersAllowedIps_IsDropped()
    {
        using var pair = new PeerPair();
        pair.Handshake();
        var wire = new byte[2048];
        var inner = new byte[2048];
        var spoofed = TestPackets.Ipv4("198.19.0.99", "198.19.0.2", 60);
        var enc = pair.A.Encapsulate(pair.PeerBOnA, spoofed, wire);
        Assert.Equal(WireGuardAction.WriteToNetwork, enc.Action);
        Assert.Equal(WireGuardError.SourceNotAllowed, pair.B.Decapsulate(PeerPair.EndA, wire.AsSpan(0, enc.Length), inner).Error);
        Assert.Equal(WireGuardError.NoRoute, pair.A.Encapsulate(TestPackets.Ipv4("198.19.0.1", "198.19.0.77", 60), wire).Error);
    }

    [Fact]
    public void Keepalive_IsEmptyDataMessage_AndSentAfterKeepaliveTimeout()
    {
        using var pair = new PeerPair();
        pair.Handshake();
        var wire = new byte[2048];
        var inner = new byte[2048];
        var enc = pair.A.Encapsulate(TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 84), wire);
        Assert.Equal(WireGuardAction.WriteToTunnel, pair.B.Decapsulate(PeerPair.EndA, wire.AsSpan(0, enc.Length), inner).Action);
        // B has received data and sends nothing back: after KEEPALIVE_TIMEOUT it sends a keepalive.
        pair.Clock.Advance(TimeSpan.FromSeconds(9.9));
        Assert.Equal(WireGuardAction.Done, pair.B.UpdateTimers(pair.PeerAOnB, wire).Action);
        pair.Clock.Advance(TimeSpan.FromSeconds(0.2));
        var ka = pair.B.UpdateTimers(pair.PeerAOnB, wire);
        Assert.Equal(WireGuardAction.WriteToNetwork, ka.Action);
        Assert.Equal(32, ka.Length);
        var r = pair.A.Decapsulate(PeerPair.EndB, wire.AsSpan(0, ka.Length), inner);
        Assert.Equal(WireGuardAction.Done, r.Action);
        Assert.Equal(WireGuardError.None, r.Error);
        Assert.Equal(WireGuardAction.Done, pair.B.UpdateTimers(pair.PeerAOnB, wire).Action);
    }

    [Fact]
    public void Roaming_EndpointChangesOnlyOnAuthenticatedPackets()
    {
        using var pair = new PeerPair();
        pair.Handshake();
        var wire = new byte[2048];
        var inner = new byte[2048];
        var moved = NetEndpoint.From(System.Net.IPEndPoint.Parse("198.18.0.9:40000"));
        // Garbage from the new address does not move the endpoint.
        var junk = new byte[64];
        junk[0] = 4;
        pair.B.Decapsulate(moved, junk, inner);
        Assert.Equal(PeerPair.EndA, pair.PeerAOnB.Endpoint);
        var enc = pair.A.Encapsulate(TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 40), wire);
        Assert.Equal(WireGuardAction.WriteToTunnel, pair.B.Decapsulate(moved, wire.AsSpan(0, enc.Length), inner).Action);
        Assert.Equal(moved, pair.PeerAOnB.Endpoint);
        Assert.Equal(moved, pair.B.Encapsulate(TestPackets.Ipv4("198.19.0.2", "198.19.0.1", 40), wire).Endpoint);
    }

    [Fact]
    public void Roaming_KeepsTheWholeSource_ReportsEachChangeOnceInOrder_AndResultsCarryIt()
    {
        using var pair = new PeerPair();
        var changes = new List<(NetEndpoint From, NetEndpoint To, DatagramTransport Transport, string Cause)>();
        pair.B.EndpointChanged = (WireGuardPeer peer, in DatagramEndpoint from, in DatagramEndpoint to, string cause) =>
        {
            Assert.Same(pair.PeerAOnB, peer);
            changes.Add((from.Remote, to.Remote, to.Transport, cause));
        };
        pair.Handshake();
        // B had no endpoint for A: the authenticated initiation taught it.
        Assert.Equal([(default(NetEndpoint), PeerPair.EndA, DatagramTransport.Udp, EndpointCause.Learned)], changes);
        changes.Clear();
        var wire = new byte[2048];
        var inner = new byte[2048];
        var local = NetEndpoint.From(System.Net.IPAddress.Parse("198.18.0.2").GetAddressBytes(), 0);
        var local2 = NetEndpoint.From(System.Net.IPAddress.Parse("198.18.0.22").GetAddressBytes(), 0);
        var moved = NetEndpoint.From(System.Net.IPEndPoint.Parse("198.18.0.9:40000"));

        // Same remote, a local hint now known: the endpoint takes it, but it is no change of endpoint.
        var enc = pair.A.Encapsulate(TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 40), wire);
        var r = pair.B.Decapsulate(new DatagramEndpoint(PeerPair.EndA, local, 3), wire.AsSpan(0, enc.Length), inner);
        Assert.Equal(WireGuardAction.WriteToTunnel, r.Action);
        Assert.Equal((PeerPair.EndA, local, 3), (pair.PeerAOnB.Destination.Remote, pair.PeerAOnB.Destination.Local, pair.PeerAOnB.Destination.InterfaceIndex));
        Assert.Empty(changes);

        // A tampered packet from elsewhere moves nothing; an authentic one moves all of it, once.
        enc = pair.A.Encapsulate(TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 40), wire);
        wire[enc.Length - 1] ^= 1;
        Assert.Equal(WireGuardError.DecryptionFailed, pair.B.Decapsulate(new DatagramEndpoint(moved, local2, 9), wire.AsSpan(0, enc.Length), inner).Error);
        Assert.Equal(local, pair.PeerAOnB.Destination.Local);
        wire[enc.Length - 1] ^= 1;
        Assert.Equal(WireGuardAction.WriteToTunnel, pair.B.Decapsulate(new DatagramEndpoint(moved, local2, 9), wire.AsSpan(0, enc.Length), inner).Action);
        Assert.Equal((moved, local2, 9), (pair.PeerAOnB.Destination.Remote, pair.PeerAOnB.Destination.Local, pair.PeerAOnB.Destination.InterfaceIndex));
        Assert.Equal([(PeerPair.EndA, moved, DatagramTransport.Udp, EndpointCause.Roam)], changes);

        // What B sends next is made for that endpoint, hint and all.
        var reply = pair.B.Encapsulate(TestPackets.Ipv4("198.19.0.2", "198.19.0.1", 40), wire);
        Assert.Equal((moved, local2, 9), (reply.Destination.Remote, reply.Destination.Local, reply.Destination.InterfaceIndex));
        Assert.Equal(moved, reply.Endpoint);

        // A transport switch and a configured endpoint are reported with their causes; the same value again is not.
        pair.PeerAOnB.SetEndpoint(new DatagramEndpoint(moved, DatagramTransport.Tcp));
        pair.PeerAOnB.SetEndpoint(new DatagramEndpoint(moved, DatagramTransport.Tcp));
        pair.PeerAOnB.Endpoint = PeerPair.EndA;
        pair.PeerAOnB.SetEndpoint(new DatagramEndpoint(PeerPair.EndA), "resolve");
        Assert.Equal(
            [(PeerPair.EndA, moved, DatagramTransport.Udp, EndpointCause.Roam), (moved, moved, DatagramTransport.Tcp, EndpointCause.Tcp),
             (moved, PeerPair.EndA, DatagramTransport.Udp, EndpointCause.Set)],
            changes);
        Assert.Equal(DatagramTransport.Udp, pair.PeerAOnB.Destination.Transport);
        Assert.False(pair.PeerAOnB.Destination.Local.IsSet);
    }

    [Fact]
    public void PacketsSentBeforeHandshake_AreQueued_AndFlushed()
    {
        using var pair = new PeerPair();
        var wire = new byte[2048];
        var inner = new byte[2048];
        var p1 = TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 50, 1);
        var p2 = TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 70, 2);
        var init = pair.A.Encapsulate(p1, wire);
        Assert.Equal(148, init.Length);
        Assert.Equal(WireGuardAction.Done, pair.A.Encapsulate(p2, pair.Buffer).Action);
        Assert.Equal(2, pair.PeerBOnA.QueuedPackets);
        var resp = pair.B.Decapsulate(PeerPair.EndA, wire.AsSpan(0, 148), pair.Buffer2);
        // The response brings the session up; the queued packets are the caller's to drain, in order.
        var up = pair.A.Decapsulate(PeerPair.EndB, pair.Buffer2.AsSpan(0, resp.Length), wire);
        Assert.Equal(WireGuardAction.Done, up.Action);
        Assert.True(pair.PeerBOnA.HasSession);
        Assert.Equal(2, pair.PeerBOnA.QueuedPackets);
        // A packet sent now queues behind them instead of overtaking them.
        var p3 = TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 90, 3);
        Assert.Equal(WireGuardAction.Done, pair.A.Encapsulate(p3, pair.Buffer).Action);
        Assert.Equal(3, pair.PeerBOnA.QueuedPackets);
        var first = pair.A.DequeuePending(pair.PeerBOnA, wire);
        Assert.Equal(WireGuardAction.WriteToNetwork, first.Action);
        var d1 = pair.B.Decapsulate(PeerPair.EndA, wire.AsSpan(0, first.Length), inner);
        Assert.True(inner.AsSpan(0, d1.Length).SequenceEqual(p1));
        var second = pair.A.DequeuePending(pair.PeerBOnA, wire);
        var d2 = pair.B.Decapsulate(PeerPair.EndA, wire.AsSpan(0, second.Length), inner);
        Assert.True(inner.AsSpan(0, d2.Length).SequenceEqual(p2));
        var third = pair.A.DequeuePending(pair.PeerBOnA, wire);
        var d3 = pair.B.Decapsulate(PeerPair.EndA, wire.AsSpan(0, third.Length), inner);
        Assert.True(inner.AsSpan(0, d3.Length).SequenceEqual(p3));
        Assert.Equal(WireGuardAction.Done, pair.A.DequeuePending(pair.PeerBOnA, wire).Action);
        // Drained: the next packet goes straight out again.
        Assert.Equal(WireGuardAction.WriteToNetwork, pair.A.Encapsulate(p3, wire).Action);
    }
    [Fact]
    public void TinyPayloads_0To19Bytes_KeepaliveOrDroppedAsNotIp()
    {
        using var pair = new PeerPair();
        pair.Handshake();
        var wire = new byte[2048];
        var inner = new byte[2048];
        for (var size = 0; size < 20; size++)
        {
            var payload = new byte[size];
            Array.Fill(payload, (byte)0x45);
            var enc = pair.A.Encapsulate(pair.PeerBOnA, payload, wire);
            Assert.Equal(WireGuardAction.WriteToNetwork, enc.Action);
            Assert.Equal(32 + ((size + 15) / 16 * 16), enc.Length);
            var dec = pair.B.Decapsulate(PeerPair.EndA, wire.AsSpan(0, enc.Length), inner);
            if (size == 0)
            {
                Assert.Equal((WireGuardAction.Done, WireGuardError.None), (dec.Action, dec.Error));
            }
            else
            {
                Assert.Equal(WireGuardError.InvalidPacket, dec.Error);
            }
        }
    }
    [Fact]
    public void PeerWithoutEndpoint_QueuesUntilItInitiates_ThenDrains()
    {
        using var pair = new PeerPair();
        pair.PeerAOnB.Endpoint = default;
        var wire = new byte[2048];
        var inner = new byte[2048];
        var waiting = TestPackets.Ipv4("198.19.0.2", "198.19.0.1", 60, 9);
        var r = pair.B.Encapsulate(waiting, wire);
        Assert.Equal(WireGuardError.NoEndpoint, r.Error);
        Assert.Equal(1, pair.PeerAOnB.QueuedPackets);
        Assert.Equal(WireGuardAction.Done, pair.B.UpdateTimers(pair.PeerAOnB, wire).Action);
        // A initiates: B learns A's endpoint, session confirmed by A's keepalive, then B drains its queue.
        pair.Handshake();
        Assert.Equal(PeerPair.EndA, pair.PeerAOnB.Endpoint);
        var drained = pair.B.DequeuePending(pair.PeerAOnB, wire);
        Assert.Equal(WireGuardAction.WriteToNetwork, drained.Action);
        Assert.Equal(PeerPair.EndA, drained.Endpoint);
        var d = pair.A.Decapsulate(PeerPair.EndB, wire.AsSpan(0, drained.Length), inner);
        Assert.True(inner.AsSpan(0, d.Length).SequenceEqual(waiting));
        Assert.Equal(WireGuardAction.Done, pair.B.DequeuePending(pair.PeerAOnB, wire).Action);
    }
}
