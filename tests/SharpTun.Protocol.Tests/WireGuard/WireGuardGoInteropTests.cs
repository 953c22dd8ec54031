using System.Net;
using System.Net.Sockets;
using SharpTun.Linux.Namespaces;
using SharpTun.Protocol.WireGuard;
using SharpTun.Testing;
using Xunit.Abstractions;

namespace SharpTun.Protocol.Tests.WireGuard;

/// <summary>
/// wireguard-go (an independent implementation) as the judge: our pure core, driving a UDP socket in
/// namespace A, handshakes with wireguard-go in namespace B over a veth pair and pings B's kernel
/// through the tunnel. With SHARPTUN_RECORD_WG_VECTORS=1 the run rewrites Vectors/wireguard-go-handshake.txt.
/// </summary>
public sealed class WireGuardGoInteropTests(ITestOutputHelper output)
{
    [RootFact]
    public void HandshakeAndPing_AgainstWireguardGo()
    {
        using var a = NetNs.Create("stwa");
        using var b = NetNs.Create("stwb");
        var vethA = UniqueName.Next("vwa");
        var vethB = UniqueName.Next("vwb");
        var wg = UniqueName.Next("wgg");
        var keyFile = Path.Combine(Path.GetTempPath(), wg + ".key");
        var sock = $"/var/run/wireguard/{wg}.sock";
        try
        {
            a.Ip($"link add {vethA} type veth peer name {vethB}");
            a.Ip($"link set {vethB} netns {b.Name}");
            a.Ip($"addr add 198.18.0.1/24 dev {vethA}");
            a.Ip($"link set {vethA} up");
            b.Ip($"addr add 198.18.0.2/24 dev {vethB}");
            b.Ip($"link set {vethB} up");

            var go = b.Start("wireguard-go", ["-f", wg], new Dictionary<string, string> { ["WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD"] = "1" });
            Poll.Until(() => File.Exists(sock), $"wireguard-go UAPI socket {sock}", TimeSpan.FromSeconds(20));
            File.WriteAllText(keyFile, InteropTranscript.TheirPrivateKey + "\n");
            var ourPublic = WireGuardKeys.ToBase64(WireGuardKeys.PublicKey(WireGuardKeys.Parse(InteropTranscript.OurPrivateKey)));
            b.Exec("wg", ["set", wg, "private-key", keyFile, "listen-port", "51820", "peer", ourPublic, "allowed-ips", "198.19.0.0/24"]).EnsureSuccess();
            b.Ip($"addr add 198.19.0.2/24 dev {wg}");
            b.Ip($"link set {wg} up");

            using var socket = NetNamespace.Run(a.Name, () =>
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                s.Bind(new IPEndPoint(IPAddress.Parse("198.18.0.1"), 0));
                return s;
            });
            socket.ReceiveTimeout = 10_000;
            var remote = new IPEndPoint(IPAddress.Parse("198.18.0.2"), 51820);

            var (device, peer, _) = InteropTranscript.CreateInitiator();
            using var _d = device;
            peer.Endpoint = WireGuardEndpoint.From(remote);
            var buffer = new byte[2048];
            var rx = new byte[2048];

            var init = device.InitiateHandshake(peer, buffer, force: true);
            Assert.Equal(WireGuardAction.WriteToNetwork, init.Action);
            var initiation = buffer.AsSpan(0, init.Length).ToArray();
            socket.SendTo(initiation, remote);

            var n = socket.Receive(rx);
            var response = rx.AsSpan(0, n).ToArray();
            Assert.Equal(92, n);
            var confirm = device.Decapsulate(WireGuardEndpoint.From(remote), response, buffer);
            Assert.Equal(WireGuardAction.WriteToNetwork, confirm.Action);
            socket.SendTo(buffer.AsSpan(0, confirm.Length), remote);
            Poll.Until(() => b.Exec("wg", ["show", wg, "latest-handshakes"]).StdOut.Split('\t').Last().Trim() != "0",
                "wireguard-go to report a handshake");

            var ping = device.Encapsulate(InteropTranscript.EchoRequest(), buffer);
            Assert.Equal(WireGuardAction.WriteToNetwork, ping.Action);
            socket.SendTo(buffer.AsSpan(0, ping.Length), remote);

            n = socket.Receive(rx);
            var data = rx.AsSpan(0, n).ToArray();
            var plain = new byte[2048];
            var reply = device.Decapsulate(WireGuardEndpoint.From(remote), data, plain);
            Assert.Equal(WireGuardAction.WriteToTunnel, reply.Action);
            var packet = plain.AsSpan(0, reply.Length).ToArray();
            AssertEchoReply(packet);
            output.WriteLine($"wireguard-go answered: handshake ok, echo reply of {packet.Length} bytes");

            var show = b.Exec("wg", ["show", wg, "transfer"]).EnsureSuccess().StdOut;
            output.WriteLine("wg show transfer: " + show.Trim());

            if (Environment.GetEnvironmentVariable("SHARPTUN_RECORD_WG_VECTORS") == "1")
            {
                InteropTranscript.Write(InteropTranscript.SourcePath, initiation, response, data, packet);
                output.WriteLine("recorded " + InteropTranscript.SourcePath);
            }
            else
            {
                // The initiation is deterministic: the live one must equal the recorded one.
                var recorded = InteropTranscript.Read(InteropTranscript.OutputPath);
                Assert.Equal(Convert.ToHexStringLower(recorded["initiation"]), Convert.ToHexStringLower(initiation));
            }

            b.Ip($"link del {wg}");
            Poll.Until(() => go.HasExited, "wireguard-go to exit after its interface was deleted", TimeSpan.FromSeconds(10));
        }
        finally
        {
            File.Delete(keyFile);
            Run.Exec("ip", ["-n", b.Name, "link", "del", wg]);
            if (File.Exists(sock))
            {
                File.Delete(sock);
            }
        }
    }

    internal static void AssertEchoReply(ReadOnlySpan<byte> packet)
    {
        Assert.Equal(84, packet.Length);
        Assert.Equal(0x45, packet[0]);
        Assert.Equal(1, packet[9]);
        Assert.Equal(new byte[] { 198, 19, 0, 2 }, packet.Slice(12, 4).ToArray());
        Assert.Equal(new byte[] { 198, 19, 0, 1 }, packet.Slice(16, 4).ToArray());
        Assert.Equal(0, packet[20]);
        Assert.Equal(0x53, packet[24]);
        Assert.Equal(0x54, packet[25]);
        var request = InteropTranscript.EchoRequest();
        Assert.True(packet[28..].SequenceEqual(request.AsSpan(28)));
    }
}
