using System.Net;
using SharpTun.WireGuard;

namespace SharpTun.WireGuard.Tests;

/// <summary>
/// Replays the transcript recorded against wireguard-go (Vectors/wireguard-go-handshake.txt): with the
/// fixed key, randomness and clock our initiation is byte-identical; wireguard-go's response completes
/// the handshake, and its first data packet decrypts to the recorded ICMP echo reply.
/// </summary>
public sealed class TranscriptReplayTests
{
    private static readonly NetEndpoint s_remote = NetEndpoint.From(IPEndPoint.Parse("198.18.0.2:51820"));

    [Fact]
    public void Initiation_IsByteIdentical_AndWireguardGoResponseAndDataDecrypt()
    {
        var v = InteropTranscript.Read(InteropTranscript.OutputPath);
        var (device, peer, _) = InteropTranscript.CreateInitiator();
        using var _d = device;
        peer.Endpoint = s_remote;
        var buffer = new byte[2048];

        var init = device.InitiateHandshake(peer, buffer, force: true);
        Assert.Equal(Convert.ToHexStringLower(v["initiation"]), Convert.ToHexStringLower(buffer.AsSpan(0, init.Length)));

        var confirm = device.Decapsulate(s_remote, v["response"], buffer);
        Assert.Equal(WireGuardAction.WriteToNetwork, confirm.Action);
        Assert.Equal(32, confirm.Length);
        Assert.True(peer.HasSession);

        // Our ICMP request uses counter 1 (the keepalive used 0); wireguard-go's reply is its counter 0.
        var ping = device.Encapsulate(InteropTranscript.EchoRequest(), buffer);
        Assert.Equal(WireGuardAction.WriteToNetwork, ping.Action);

        var plain = new byte[2048];
        var reply = device.Decapsulate(s_remote, v["first_data_from_wireguard_go"], plain);
        Assert.Equal(WireGuardAction.WriteToTunnel, reply.Action);
        Assert.Equal(Convert.ToHexStringLower(v["first_data_plaintext"]), Convert.ToHexStringLower(plain.AsSpan(0, reply.Length)));
        WireGuardGoInteropTests.AssertEchoReply(plain.AsSpan(0, reply.Length));

        // Replaying wireguard-go's packet is refused; so is its response a second time.
        Assert.Equal(WireGuardError.Replay, device.Decapsulate(s_remote, v["first_data_from_wireguard_go"], plain).Error);
        Assert.Equal(WireGuardError.UnknownIndex, device.Decapsulate(s_remote, v["response"], plain).Error);
    }

    [Fact]
    public void RecordedResponse_WithOneBitFlipped_DoesNotComplete()
    {
        var v = InteropTranscript.Read(InteropTranscript.OutputPath);
        var response = v["response"];
        for (var bit = 0; bit < 76 * 8; bit += 7)
        {
            var (device, peer, _) = InteropTranscript.CreateInitiator();
            using var _d = device;
            peer.Endpoint = s_remote;
            var buffer = new byte[2048];
            device.InitiateHandshake(peer, buffer, force: true);
            var copy = (byte[])response.Clone();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.Equal(WireGuardAction.Error, device.Decapsulate(s_remote, copy, buffer).Action);
            Assert.False(peer.HasSession);
        }
    }
}
