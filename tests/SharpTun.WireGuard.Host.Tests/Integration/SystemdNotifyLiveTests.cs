using System.Net.Sockets;
using System.Text;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// <c>sharptun wg up</c> as a Type=notify unit sees it: with NOTIFY_SOCKET set to a socket this test owns,
/// READY=1 arrives once the interface is up (UAPI answers, addresses on the link), STOPPING=1 at <c>wg down</c>.
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class SystemdNotifyLiveTests
{
    [RootFact]
    public void WgUp_NotifiesReadyWhenUp_AndStoppingAtDown()
    {
        using var lab = new WireLab();
        var ha = lab.AddHost();
        var hb = lab.AddHost();
        var name = UniqueName.Next("wgn");
        var dir = Directory.CreateTempSubdirectory("sharptun-notify-").FullName;
        var socketPath = Path.Combine(dir, "notify.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.ReceiveTimeout = 60_000;
        var ka = WgKey.Generate();
        var config = new WgConfig(ka, Pairs.Port, Pairs.InnerAddresses(ha), [new WgPeer(WgKey.Generate().Public, Pairs.HostRoutes(hb))]);
        var conf = Path.Combine(dir, name + ".conf");
        config.WriteWgQuick(conf);
        try
        {
            using var daemon = Daemon.StartIn(ha.Name, "dotnet", Repo.Cli("wg", "up", conf), new Dictionary<string, string> { ["NOTIFY_SOCKET"] = socketPath });
            var buffer = new byte[512];
            string Next()
            {
                try
                {
                    return Encoding.UTF8.GetString(buffer, 0, listener.Receive(buffer));
                }
                catch (SocketException e)
                {
                    throw new TimeoutException($"no notification within 60 s ({e.Message}):\n{daemon.Output}");
                }
            }
            var ready = Next();
            // At READY=1 everything is already there.
            Assert.True(Uapi.Answers(name), "UAPI did not answer at READY=1");
            Assert.Contains($"{ha.InnerV4}/24", LinkStats.Addresses(ha, name));
            Assert.StartsWith("READY=1\nSTATUS=interface " + name + " up, UDP port 51820", ready);
            ha.Sharptun("wg", "down", name).EnsureSuccess();
            Assert.StartsWith("STOPPING=1\n", Next());
            Assert.True(daemon.WaitForExit(TimeSpan.FromSeconds(30)));
            Assert.Equal(0, daemon.ExitCode);
        }
        finally
        {
            foreach (var f in new[] { Uapi.SocketPath(name), $"/run/sharptun/{name}.pid" })
            {
                File.Delete(f);
            }
            Directory.Delete(dir, recursive: true);
        }
    }
}
