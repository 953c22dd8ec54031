using System.Net;
using System.Net.Sockets;
using SharpTun.Linux.Namespaces;
using SharpTun.WireGuard;
using SharpTun.Testing;

namespace SharpTun.WireGuard.Tests;

/// <summary>
/// Hosts A (our UDP socket, 198.18.0.1) and B (198.18.0.2, wireguard-go interface 198.19.0.2/24
/// listening on 51820 with the fixed transcript key, our key as its peer) of a <see cref="WireLab"/>.
/// Everything is removed on dispose.
/// </summary>
internal sealed class WireGuardGoLab : IDisposable
{
    private readonly WireLab _lab = WireLab.Create(2);
    internal readonly string Interface = UniqueName.Next("wgg");
    internal readonly Socket Socket;
    internal readonly IPEndPoint Remote = new(IPAddress.Parse("198.18.0.2"), 51820);
    internal readonly System.Diagnostics.Process WireguardGo;
    private readonly string _keyFile;
    private string Sock => $"/var/run/wireguard/{Interface}.sock";

    internal WireGuardGoLab(bool giveOurEndpoint)
    {
        _keyFile = Path.Combine(Path.GetTempPath(), Interface + ".key");
        try
        {
            Socket = NetNamespace.Run(A.Name, () =>
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                s.Bind(new IPEndPoint(IPAddress.Parse("198.18.0.1"), 0));
                return s;
            });
            Socket.ReceiveTimeout = 10_000;
            var ourPort = ((IPEndPoint)Socket.LocalEndPoint!).Port;

            WireguardGo = B.Start("wireguard-go", ["-f", Interface],
                new Dictionary<string, string> { ["WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD"] = "1" });
            Poll.Until(() => File.Exists(Sock), $"wireguard-go UAPI socket {Sock}", TimeSpan.FromSeconds(20));
            File.WriteAllText(_keyFile, InteropTranscript.TheirPrivateKey + "\n");
            var ourPublic = WireGuardKeys.ToBase64(WireGuardKeys.PublicKey(WireGuardKeys.Parse(InteropTranscript.OurPrivateKey)));
            List<string> args = ["set", Interface, "private-key", _keyFile, "listen-port", "51820", "peer", ourPublic, "allowed-ips", "198.19.0.0/24"];
            if (giveOurEndpoint)
            {
                args.AddRange(["endpoint", $"198.18.0.1:{ourPort}"]);
            }
            B.Exec("wg", args).EnsureSuccess();
            B.Ip($"addr add 198.19.0.2/24 dev {Interface}");
            B.Ip($"link set {Interface} up");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    internal NetNs A => _lab.Hosts[0].Ns;

    internal NetNs B => _lab.Hosts[1].Ns;

    internal NetEndpoint RemoteEndpoint => NetEndpoint.From(Remote);

    internal byte[] Receive()
    {
        var rx = new byte[2048];
        var n = Socket.Receive(rx);
        return rx.AsSpan(0, n).ToArray();
    }

    /// <summary>Deletes the interface and waits for wireguard-go to exit by itself.</summary>
    internal void StopWireguardGo()
    {
        B.Ip($"link del {Interface}");
        Poll.Until(() => WireguardGo.HasExited, "wireguard-go to exit after its interface was deleted", TimeSpan.FromSeconds(10));
    }

    public void Dispose()
    {
        Socket?.Dispose();
        File.Delete(_keyFile);
        Run.Exec("ip", ["-n", B.Name, "link", "del", Interface]);
        _lab.Dispose();
        if (File.Exists(Sock))
        {
            File.Delete(Sock);
        }
    }
}
