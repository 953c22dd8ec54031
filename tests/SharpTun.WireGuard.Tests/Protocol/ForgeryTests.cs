using System.Buffers.Binary;
using System.Diagnostics;
using SharpTun.WireGuard;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Tests;

/// <summary>
/// Forged input is the attacker's cheapest lever: a data message under a live receiver index with a
/// wrong tag, and a cookie reply to a pending handshake that does not authenticate, are rejected
/// without exceptions and without allocating (asserted), and cost about what a valid packet costs (printed).
/// </summary>
public sealed class ForgeryTests(ITestOutputHelper output)
{
    [Fact]
    public void ForgedDataMessage_LiveIndex_NoAllocation_NoException()
    {
        using var pair = new PeerPair();
        pair.Handshake();
        var packet = TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 1420);
        var wire = new byte[2048];
        var inner = new byte[2048];
        var r = pair.A.Encapsulate(pair.PeerBOnA, packet, wire);
        var forged = wire.AsSpan(0, r.Length).ToArray();
        forged[40] ^= 0x01;
        var firstChance = 0;
        void Count(object? s, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e) => Interlocked.Increment(ref firstChance);
        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            for (var i = 0; i < 200; i++)
            {
                Assert.Equal(WireGuardError.DecryptionFailed, pair.B.Decapsulate(PeerPair.EndA, forged, inner).Error);
            }
            var calls = 0;
            var start = Stopwatch.GetTimestamp();
            Assert.Equal(0, Allocation.SteadyState(5000, i =>
            {
                calls++;
                var f = pair.B.Decapsulate(PeerPair.EndA, forged, inner);
                if (f.Error != WireGuardError.DecryptionFailed)
                {
                    Assert.Fail($"forged message {i}: {f.Action} {f.Error}");
                }
            }));
            var elapsed = Stopwatch.GetElapsedTime(start);
            output.WriteLine($"forged 1420-byte data message rejected: {elapsed.TotalNanoseconds / calls:F0} ns wall each (shared machine), 0 B");
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }
        Assert.Equal(0, firstChance);
        // The session is unharmed: the genuine message still decrypts after the forgeries.
        Assert.Equal(WireGuardAction.WriteToTunnel, pair.B.Decapsulate(PeerPair.EndA, wire.AsSpan(0, r.Length), inner).Action);
    }

    [Fact]
    public void ForgedCookieReply_PendingHandshake_NoAllocation_NoException()
    {
        using var pair = new PeerPair();
        var init = pair.A.InitiateHandshake(pair.PeerBOnA, pair.Buffer, force: true);
        Assert.Equal(WireGuardAction.WriteToNetwork, init.Action);
        var sender = BinaryPrimitives.ReadUInt32LittleEndian(pair.Buffer.AsSpan(4));
        var reply = new byte[64];
        reply[0] = 3;
        BinaryPrimitives.WriteUInt32LittleEndian(reply.AsSpan(4), sender);
        new Random(5).NextBytes(reply.AsSpan(8));
        var dst = new byte[256];
        var firstChance = 0;
        void Count(object? s, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e) => Interlocked.Increment(ref firstChance);
        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            for (var i = 0; i < 100; i++)
            {
                Assert.Equal(WireGuardError.HandshakeFailed, pair.A.Decapsulate(PeerPair.EndB, reply, dst).Error);
            }
            Assert.Equal(0, Allocation.SteadyState(2000, i =>
            {
                if (pair.A.Decapsulate(PeerPair.EndB, reply, dst).Error != WireGuardError.HandshakeFailed)
                {
                    Assert.Fail($"forged cookie reply {i} was not rejected");
                }
            }));
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }
        Assert.Equal(0, firstChance);
    }
}
