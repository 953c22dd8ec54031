using System.Net;

namespace SharpTun.WireGuard.Tests;

/// <summary>UAPI get: the golden answer (which the stock <c>wg show dump</c>/<c>wg showconf</c> read, see <see cref="UapiWgToolTests"/>) formatted, parsed, round-tripped.</summary>
public sealed class UapiGetTests
{
    internal static UapiDevice GoldenDevice()
    {
        var d = new UapiDevice { PrivateKey = UapiVectors.Key(UapiVectors.PrivateKey), ListenPort = 51820, FwMark = 0x1234 };
        var p1 = new UapiPeer(UapiVectors.Key(UapiVectors.Peer1))
        {
            PresharedKey = UapiVectors.Key(UapiVectors.Psk),
            Endpoint = NetEndpoint.From(IPEndPoint.Parse("[2001:db8::1]:51820")),
            LastHandshake = DateTimeOffset.FromUnixTimeSeconds(1764581400).AddTicks(1234567),
            TransmitBytes = 1480,
            ReceiveBytes = 92,
            PersistentKeepaliveInterval = 25,
        };
        p1.AllowedIps.Add(IPNetwork.Parse("198.18.0.0/24"));
        p1.AllowedIps.Add(IPNetwork.Parse("2001:db8:1::/64"));
        var p2 = new UapiPeer(UapiVectors.Key(UapiVectors.Peer2));
        p2.AllowedIps.Add(IPNetwork.Parse("198.18.2.1/32"));
        d.Peers.Add(p1);
        d.Peers.Add(p2);
        return d;
    }

    [Fact]
    public void Format_EqualsGolden()
    {
        Assert.Equal(UapiVectors.Read("get.txt"), UapiCodec.FormatGet(GoldenDevice()));
    }

    [Fact]
    public void Parse_Golden_ReadsEveryField_AndRoundTrips()
    {
        var text = UapiVectors.Read("get.txt");
        var d = UapiCodec.ParseGet(text);
        Assert.Equal(UapiVectors.Key(UapiVectors.PrivateKey), d.PrivateKey);
        Assert.Equal((ushort)51820, d.ListenPort);
        Assert.Equal(0x1234u, d.FwMark);
        Assert.Equal(2, d.Peers.Count);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1764581400).AddTicks(1234567), d.Peers[0].LastHandshake);
        Assert.Equal(1480, d.Peers[0].TransmitBytes);
        Assert.Equal(92, d.Peers[0].ReceiveBytes);
        Assert.Null(d.Peers[1].PresharedKey);
        Assert.Null(d.Peers[1].LastHandshake);
        Assert.False(d.Peers[1].Endpoint.IsSet);
        Assert.Equal(text, UapiCodec.FormatGet(d));
    }

    [Fact]
    public void EmptyDevice_IsOnlyTheStatus()
    {
        Assert.Equal("errno=0\n\n", UapiCodec.FormatGet(new UapiDevice { PrivateKey = new byte[32] }));
    }

    [Theory]
    [InlineData("errno=-22\n\n", 22)]
    [InlineData("listen_port=1\nerrno=98\n\n", 98)]
    public void ErrorAnswer_Throws_WithErrno(string answer, int errno)
    {
        Assert.Equal(errno, Assert.Throws<UapiException>(() => UapiCodec.ParseGet(answer)).Errno);
    }

    [Theory]
    [InlineData("listen_port=1\n", "ended without an errno line")]
    [InlineData("listen_port=x\nerrno=0\n\n", "line 1: listen_port: 'x' is not a number")]
    [InlineData("errno=0\n", "does not end with an empty line")]
    [InlineData("tx_bytes=1\nerrno=0\n\n", "unknown device key 'tx_bytes'")]
    public void MalformedAnswer_IsProtocolError(string answer, string message)
    {
        var e = Assert.Throws<UapiException>(() => UapiCodec.ParseGet(answer));
        Assert.Equal(UapiErrno.Protocol, e.Errno);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
