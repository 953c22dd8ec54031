using System.Buffers.Binary;
using System.Net;
using SharpTun.WireGuard;

namespace SharpTun.WireGuard.Tests;

/// <summary>
/// Every drop reason of the list is counted where the host reads it: per peer
/// (<see cref="WireGuardPeer.Drops"/>) when the peer is known, else per device (<see cref="WireGuardDevice.Drops"/>).
/// </summary>
public sealed class DropCounterTests
{
    private static readonly byte[] s_wire = new byte[2048];
    private static readonly byte[] s_inner = new byte[2048];

    [Fact]
    public void NoRoute_UnknownIndex_Malformed_BadMac_AreDeviceDrops()
    {
        using var pair = new PeerPair();
        pair.Handshake();
        Assert.Equal(WireGuardError.NoRoute, pair.A.Encapsulate(TestPackets.Ipv4("198.19.0.1", "198.19.9.9", 60), s_wire).Error);
        var data = new byte[48];
        data[0] = 4;
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4), 0xdeadbeef);
        Assert.Equal(WireGuardError.UnknownIndex, pair.B.Decapsulate(PeerPair.EndA, data, s_inner).Error);
        Assert.Equal(WireGuardError.InvalidMessage, pair.B.Decapsulate(PeerPair.EndA, new byte[3], s_inner).Error);
        var init = new byte[148];
        init[0] = 1;
        Assert.Equal(WireGuardError.InvalidMac, pair.B.Decapsulate(PeerPair.EndA, init, s_inner).Error);
        Assert.Equal(1, pair.A.Drops(WireGuardError.NoRoute));
        Assert.Equal(1, pair.B.Drops(WireGuardError.UnknownIndex));
        Assert.Equal(1, pair.B.Drops(WireGuardError.InvalidMessage));
        Assert.Equal(1, pair.B.Drops(WireGuardError.InvalidMac));
        Assert.Equal(0, pair.PeerAOnB.TotalDrops);
    }

    [Fact]
    public void DecryptFailed_Replay_SourceNotAllowed_TooBig_ArePeerDrops()
    {
        using var pair = new PeerPair();
        pair.Handshake();
        var r = pair.A.Encapsulate(TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 100), s_wire);
        var good = s_wire.AsSpan(0, r.Length).ToArray();
        var forged = (byte[])good.Clone();
        forged[^1] ^= 1;
        Assert.Equal(WireGuardError.DecryptionFailed, pair.B.Decapsulate(PeerPair.EndA, forged, s_inner).Error);
        Assert.Equal(WireGuardAction.WriteToTunnel, pair.B.Decapsulate(PeerPair.EndA, good, s_inner).Action);
        Assert.Equal(WireGuardError.Replay, pair.B.Decapsulate(PeerPair.EndA, good, s_inner).Error);
        // A packet from A whose source is another peer's address.
        var spoofed = pair.A.Encapsulate(pair.PeerBOnA, TestPackets.Ipv4("198.19.0.77", "198.19.0.2", 100), s_wire);
        Assert.Equal(WireGuardError.SourceNotAllowed, pair.B.Decapsulate(PeerPair.EndA, s_wire.AsSpan(0, spoofed.Length), s_inner).Error);
        Assert.Equal(WireGuardError.BufferTooSmall, pair.A.Encapsulate(TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 1400), new byte[100]).Error);

        Assert.Equal(1, pair.PeerAOnB.Drops(WireGuardError.DecryptionFailed));
        Assert.Equal(1, pair.PeerAOnB.Drops(WireGuardError.Replay));
        Assert.Equal(1, pair.PeerAOnB.Drops(WireGuardError.SourceNotAllowed));
        Assert.Equal(3, pair.PeerAOnB.TotalDrops);
        Assert.Equal(1, pair.PeerBOnA.Drops(WireGuardError.BufferTooSmall));
        Assert.Equal(0, pair.B.Drops(WireGuardError.DecryptionFailed));
    }

    [Fact]
    public void Expired_Session_IsAPeerDrop()
    {
        using var pair = new PeerPair();
        pair.Handshake();
        var r = pair.A.Encapsulate(TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 100), s_wire);
        var old = s_wire.AsSpan(0, r.Length).ToArray();
        pair.Clock.Advance(WireGuardConstants.RejectAfterTime + TimeSpan.FromSeconds(1));
        Assert.Equal(WireGuardError.ExpiredSession, pair.B.Decapsulate(PeerPair.EndA, old, s_inner).Error);
        Assert.Equal(1, pair.PeerAOnB.Drops(WireGuardError.ExpiredSession));
    }

    [Fact]
    public void QueueFull_CountsEachPushedOutPacket_ConnectionExpired_CountsTheRest()
    {
        using var pair = new PeerPair();
        pair.A.MaxQueuedPerPeer = 4;
        for (var i = 0; i < 10; i++)
        {
            var r = pair.A.Encapsulate(TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 60 + i), s_wire);
            Assert.NotEqual(WireGuardAction.Error, r.Action);
        }
        Assert.Equal(4, pair.PeerBOnA.QueuedPackets);
        Assert.Equal(6, pair.PeerBOnA.Drops(WireGuardError.QueueFull));
        WireGuardResult last = default;
        for (var s = 0; s < 200 && last.Action != WireGuardAction.Error; s++)
        {
            pair.Clock.Advance(TimeSpan.FromSeconds(1));
            last = pair.A.UpdateTimers(pair.PeerBOnA, pair.Buffer);
        }
        Assert.Equal(WireGuardError.ConnectionExpired, last.Error);
        Assert.Equal(4, pair.PeerBOnA.Drops(WireGuardError.ConnectionExpired));
        Assert.Equal(10, pair.PeerBOnA.TotalDrops);
    }

    [Fact]
    public void RemovedPeer_CallsReturnPeerRemoved()
    {
        using var pair = new PeerPair();
        pair.Handshake();
        var peer = pair.PeerBOnA;
        pair.A.RemovePeer(peer);
        Assert.Equal(WireGuardError.PeerRemoved, pair.A.Encapsulate(peer, TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 60), s_wire).Error);
        Assert.Equal(WireGuardError.NoRoute, pair.A.Encapsulate(TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 60), s_wire).Error);
        Assert.Equal(1, peer.Drops(WireGuardError.PeerRemoved));
        Assert.Null(pair.A.AllowedIps.Lookup(IPAddress.Parse("198.19.0.2")));
        Assert.Empty(pair.A.Peers);
    }
}
