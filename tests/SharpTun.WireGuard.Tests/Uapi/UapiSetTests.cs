using System.Net;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Tests;

/// <summary>
/// UAPI set: golden requests as the stock <c>wg</c> (wireguard-tools v1.0.20210914) sent them to a
/// socket, every field read back, round trips, and every malformed form rejected with its errno.
/// </summary>
public sealed class UapiSetTests(ITestOutputHelper output)
{
    [Fact]
    public void WgSet_Golden_ParsesEveryField()
    {
        var r = UapiCodec.ParseSet(UapiVectors.Read("wg-set.txt"));
        Assert.Equal(UapiVectors.Key(UapiVectors.PrivateKey), r.PrivateKey);
        Assert.Equal((ushort)51820, r.ListenPort);
        Assert.Equal(0x1234u, r.FwMark);
        Assert.False(r.ReplacePeers);
        Assert.Equal(2, r.Peers.Count);
        var p1 = r.Peers[0];
        Assert.Equal(UapiVectors.Key(UapiVectors.Peer1), p1.PublicKey);
        Assert.Equal(UapiVectors.Key(UapiVectors.Psk), p1.PresharedKey);
        Assert.Equal(NetEndpoint.From(IPEndPoint.Parse("[2001:db8::1]:51820")), p1.Endpoint);
        Assert.Equal((ushort)25, p1.PersistentKeepaliveInterval);
        Assert.True(p1.ReplaceAllowedIps);
        Assert.False(p1.Remove);
        Assert.False(p1.UpdateOnly);
        Assert.Equal(["198.18.0.0/24", "2001:db8:1::/64"], p1.AllowedIps.Select(n => n.ToString()));
        var p2 = r.Peers[1];
        Assert.Equal(UapiVectors.Key(UapiVectors.Peer2), p2.PublicKey);
        Assert.Null(p2.PresharedKey);
        Assert.Null(p2.PersistentKeepaliveInterval);
        Assert.Equal(NetEndpoint.From(IPEndPoint.Parse("198.18.1.2:51821")), p2.Endpoint);
        Assert.Equal(["198.18.2.1/32"], p2.AllowedIps.Select(n => n.ToString()));
    }

    [Fact]
    public void WgSetRemove_And_WgSetconf_Golden()
    {
        var remove = UapiCodec.ParseSet(UapiVectors.Read("wg-set-remove.txt"));
        Assert.Null(remove.PrivateKey);
        Assert.Null(remove.ListenPort);
        Assert.True(Assert.Single(remove.Peers).Remove);

        var setconf = UapiCodec.ParseSet(UapiVectors.Read("wg-setconf.txt"));
        Assert.True(setconf.ReplacePeers);
        Assert.Equal(0u, setconf.FwMark);
        Assert.Equal((ushort)0, setconf.Peers[0].PersistentKeepaliveInterval);
        Assert.Equal((ushort)25, setconf.Peers[1].PersistentKeepaliveInterval);
    }

    [Theory]
    [InlineData("wg-set.txt")]
    [InlineData("wg-set-remove.txt")]
    [InlineData("wg-setconf.txt")]
    public void Golden_RoundTrips_ByteForByte(string file)
    {
        var text = UapiVectors.Read(file);
        Assert.Equal(text, UapiCodec.FormatSet(UapiCodec.ParseSet(text)));
    }

    [Fact]
    public void EmptySet_IsValid_AndChangesNothing()
    {
        var r = UapiCodec.ParseSet("set=1\n\n");
        Assert.Null(r.PrivateKey);
        Assert.Null(r.ListenPort);
        Assert.Null(r.FwMark);
        Assert.Empty(r.Peers);
        Assert.Equal("set=1\n\n", UapiCodec.FormatSet(r));
    }

    [Fact]
    public void UpdateOnly_ZeroKeys_HostBits_ReplaceAfterAllowedIp()
    {
        var zeros = new string('0', 64);
        var r = UapiCodec.ParseSet($"set=1\nprivate_key={zeros}\npublic_key={new string('A', 64)}\nupdate_only=true\npreshared_key={zeros}\n"
            + "allowed_ip=198.18.0.9/24\nallowed_ip=2001:db8::1/64\nreplace_allowed_ips=true\nallowed_ip=198.18.7.7/32\nprotocol_version=1\n\n");
        Assert.Equal(new byte[32], r.PrivateKey);
        var p = Assert.Single(r.Peers);
        Assert.Equal(Enumerable.Repeat((byte)0xAA, 32), p.PublicKey);
        Assert.True(p.UpdateOnly);
        Assert.Equal(new byte[32], p.PresharedKey);
        Assert.True(p.ReplaceAllowedIps);
        // Applied in order, replace_allowed_ips removes what the lines before it added.
        Assert.Equal(["198.18.7.7/32"], p.AllowedIps.Select(n => n.ToString()));
    }

    [Fact]
    public void AllowedIp_HostBitsCleared()
    {
        var p = UapiCodec.ParseSet($"set=1\npublic_key={new string('1', 64)}\nallowed_ip=198.18.0.9/24\nallowed_ip=2001:db8::1/64\n\n").Peers[0];
        Assert.Equal(["198.18.0.0/24", "2001:db8::/64"], p.AllowedIps.Select(n => n.ToString()));
    }

    public static TheoryData<string, int, string> Malformed => new()
    {
        { "listen_port=70000", UapiErrno.Invalid, "line 2: listen_port: '70000' is not a port number (0-65535)" },
        { "listen_port=-1", UapiErrno.Invalid, "listen_port: '-1' is not a port number" },
        { "listen_port= 1", UapiErrno.Invalid, "listen_port: ' 1' is not a port number" },
        { "listen_port=", UapiErrno.Invalid, "listen_port: '' is not a port number" },
        { "fwmark=0x10", UapiErrno.Invalid, "fwmark: '0x10' is not a fwmark (0-4294967295)" },
        { "fwmark=4294967296", UapiErrno.Invalid, "fwmark: '4294967296' is not a fwmark" },
        { "private_key=abc", UapiErrno.Invalid, "private_key: 'abc' is not a key (64 hex digits)" },
        { "private_key=" + "g" + "0" + "00000000000000000000000000000000000000000000000000000000000000", UapiErrno.Invalid, "private_key: 'g0" },
        { "private_key=YLnwVQ7ir/1q+SFE1v1gtIk/8t3BadjX1otHCV6G1Gg=", UapiErrno.Invalid, "is not a key (64 hex digits)" },
        { "replace_peers=false", UapiErrno.Invalid, "replace_peers: 'false' is not allowed (the only value is 'true')" },
        { "bogus=1", UapiErrno.Invalid, "line 2: bogus: unknown device key 'bogus'" },
        { "allowed_ip=198.18.0.0/24", UapiErrno.Invalid, "allowed_ip: 'allowed_ip' is a peer key but no public_key line came before it" },
        { "no equals sign", UapiErrno.Protocol, "line 2: 'no equals sign' is not key=value" },
        { "PEER endpoint=198.18.0.1", UapiErrno.Invalid, "endpoint: '198.18.0.1' is not an endpoint (A.B.C.D:PORT or [IPV6]:PORT, numeric)" },
        { "PEER endpoint=2001:db8::1:51820", UapiErrno.Invalid, "endpoint: '2001:db8::1:51820' is not an endpoint" },
        { "PEER endpoint=[198.18.0.1]:51820", UapiErrno.Invalid, "endpoint: '[198.18.0.1]:51820' is not an endpoint" },
        { "PEER endpoint=198.18.0.1:0", UapiErrno.Invalid, "endpoint: '198.18.0.1:0' is not an endpoint" },
        { "PEER endpoint=198.18.0.1:65536", UapiErrno.Invalid, "endpoint: '198.18.0.1:65536'" },
        { "PEER endpoint=example.com:51820", UapiErrno.Invalid, "endpoint: 'example.com:51820' is not an endpoint" },
        { "PEER endpoint=[fe80::1%eth0]:51820", UapiErrno.Invalid, "endpoint: '[fe80::1%eth0]:51820'" },
        { "PEER endpoint=010.0.0.1:51820", UapiErrno.Invalid, "endpoint: '010.0.0.1:51820'" },
        { "PEER allowed_ip=10.0.0.300/24", UapiErrno.Invalid, "line 3: allowed_ip: '10.0.0.300/24' is not an IP prefix (ADDRESS/LENGTH)" },
        { "PEER allowed_ip=198.18.0.0/33", UapiErrno.Invalid, "allowed_ip: '198.18.0.0/33' is not an IP prefix" },
        { "PEER allowed_ip=198.18.0.1", UapiErrno.Invalid, "allowed_ip: '198.18.0.1' is not an IP prefix" },
        { "PEER allowed_ip=2001:db8::/129", UapiErrno.Invalid, "allowed_ip: '2001:db8::/129'" },
        { "PEER allowed_ip=10/8", UapiErrno.Invalid, "allowed_ip: '10/8'" },
        { "PEER persistent_keepalive_interval=65536", UapiErrno.Invalid, "persistent_keepalive_interval: '65536' is not an interval in seconds (0-65535)" },
        { "PEER remove=1", UapiErrno.Invalid, "remove: '1' is not allowed" },
        { "PEER update_only=yes", UapiErrno.Invalid, "update_only: 'yes' is not allowed" },
        { "PEER replace_allowed_ips=TRUE", UapiErrno.Invalid, "replace_allowed_ips: 'TRUE' is not allowed" },
        { "PEER preshared_key=00", UapiErrno.Invalid, "preshared_key: '00' is not a key" },
        { "PEER protocol_version=2", UapiErrno.Invalid, "protocol_version: '2' is not a supported protocol version (only 1)" },
        { "PEER listen_port=1", UapiErrno.Invalid, "listen_port: 'listen_port' is a device key and must come before the first public_key" },
        { "PEER last_handshake_time_sec=0", UapiErrno.Invalid, "unknown peer key 'last_handshake_time_sec'" },
        { "public_key=1234", UapiErrno.Invalid, "line 2: public_key: '1234' is not a key (64 hex digits)" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_Rejected_WithErrnoAndMessage(string line, int errno, string message)
    {
        var body = line.StartsWith("PEER ", StringComparison.Ordinal) ? $"public_key={new string('1', 64)}\n{line[5..]}" : line;
        // A valid line after the bad one: nothing of the request may come out.
        var request = $"set=1\n{body}\nlisten_port_ok=1\n\n".Replace("listen_port_ok=1\n", "", StringComparison.Ordinal);
        Assert.False(UapiCodec.TryParseSet(request, out var result, out var error));
        Assert.Null(result);
        Assert.Equal(errno, error!.Errno);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("UAPI set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadLineAfterGoodOnes_ProducesNothing()
    {
        var good = UapiVectors.Read("wg-set.txt");
        var bad = good[..^1] + "allowed_ip=198.18.0.0/40\n\n";
        var e = Assert.Throws<UapiException>(() => UapiCodec.ParseSet(bad));
        Assert.Equal(UapiErrno.Invalid, e.Errno);
        Assert.Equal("allowed_ip", e.Key);
        Assert.Equal(16, e.Line);
        Assert.Equal("UAPI set, line 16: allowed_ip: '198.18.0.0/40' is not an IP prefix (ADDRESS/LENGTH)", e.Message);
    }

    [Theory]
    [InlineData("get=1\n\n", "does not start with 'set=1' ('get=1')")]
    [InlineData("set=1\nlisten_port=1\n", "not terminated by an empty line")]
    [InlineData("set=1\nlisten_port=1", "not terminated by an empty line")]
    [InlineData("set=1\nlisten_port=1\n\nget=1\n\n", "text follows the empty line")]
    [InlineData("set=2\n\n", "does not start with 'set=1'")]
    public void Framing_Rejected_AsProtocolError(string request, string message)
    {
        var e = Assert.Throws<UapiException>(() => UapiCodec.ParseSet(request));
        Assert.Equal(UapiErrno.Protocol, e.Errno);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_IsNegatedErrno_AsWireguardGoWritesIt()
    {
        Assert.Equal("errno=0\n\n", UapiCodec.FormatStatus(0));
        Assert.Equal("errno=-22\n\n", UapiCodec.FormatStatus(UapiErrno.Invalid));
        Assert.Equal("errno=-71\n\n", UapiCodec.FormatStatus(UapiErrno.Protocol));
        Assert.Equal("errno=-98\n\n", UapiCodec.FormatStatus(-UapiErrno.PortInUse));
    }

    [Fact]
    public void Seeded_RandomRequests_RoundTrip()
    {
        var seed = TestSeed.Get(output);
        var rng = new Random(seed);
        for (var i = 0; i < 300; i++)
        {
            var r = new UapiSetRequest
            {
                PrivateKey = rng.Next(2) == 0 ? null : Bytes(rng),
                ListenPort = rng.Next(2) == 0 ? null : (ushort)rng.Next(65536),
                FwMark = rng.Next(2) == 0 ? null : (uint)rng.NextInt64(uint.MaxValue + 1L),
                ReplacePeers = rng.Next(2) == 0,
            };
            for (var n = rng.Next(4); n > 0; n--)
            {
                var p = new UapiPeerChange(Bytes(rng))
                {
                    Remove = rng.Next(4) == 0,
                    UpdateOnly = rng.Next(4) == 0,
                    PresharedKey = rng.Next(2) == 0 ? null : Bytes(rng),
                    Endpoint = rng.Next(3) switch
                    {
                        0 => null,
                        1 => NetEndpoint.From(Bytes(rng, 4), (ushort)rng.Next(1, 65536)),
                        _ => NetEndpoint.From(Bytes(rng, 16), (ushort)rng.Next(1, 65536)),
                    },
                    PersistentKeepaliveInterval = rng.Next(2) == 0 ? null : (ushort)rng.Next(65536),
                    ReplaceAllowedIps = rng.Next(2) == 0,
                };
                for (var k = rng.Next(4); k > 0; k--)
                {
                    var v6 = rng.Next(2) == 0;
                    p.AllowedIps.Add(WireGuardSyntax.ToNetwork(new IPAddress(Bytes(rng, v6 ? 16 : 4)), rng.Next(v6 ? 129 : 33)));
                }
                r.Peers.Add(p);
            }
            var text = UapiCodec.FormatSet(r);
            Assert.True(text == UapiCodec.FormatSet(UapiCodec.ParseSet(text)), $"seed {seed}, request {i}:\n{text}");
        }
    }

    private static byte[] Bytes(Random rng, int n = 32)
    {
        var b = new byte[n];
        rng.NextBytes(b);
        return b;
    }
}
