namespace SharpTun.Cli.Tests.Netlink;

/// <summary><c>sharptun ss</c> against <c>ss</c> on a state the test builds in its own namespace.</summary>
public class SsTests
{
    private static string[] Lines(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            .Order(StringComparer.Ordinal)];

    private static string[] Ss(NetNs ns, string args) => Lines(ns.Exec("ss", args.Split(' ')).EnsureSuccess().StdOut);

    private static string[] Ours(NetNs ns, string args) =>
        Lines(Run.Exec("dotnet", Repo.Cli(["ss", .. args.Split(' '), "-N", ns.Name])).EnsureSuccess().StdOut);

    [RootFact]
    public void SsAndSharptunAgree_OnListenerEstablishedUdpAndUnix()
    {
        using var ns = NetNs.Create();
        var sock = $"/tmp/{UniqueName.Next("stsock")}.sock";
        try
        {
            var listener = ns.Start("socat", ["TCP-LISTEN:5000,reuseaddr,fork", "EXEC:cat"]);
            ns.Start("socat", ["TCP6-LISTEN:5001,ipv6only=1,bind=[::1]", "-"]);
            ns.Start("socat", ["UDP-RECVFROM:5002,fork", "-"]);
            ns.Start("socat", [$"UNIX-LISTEN:{sock}", "-"]);
            Poll.Until(() => ns.Exec("ss", ["-tlnH"]).StdOut.Contains(":5000"), "the TCP listener", TimeSpan.FromSeconds(20));
            var client = ns.Start("sh", ["-c", "sleep 60 | socat - TCP:127.0.0.1:5000"]);
            Poll.Until(() => ns.Exec("ss", ["-tnH", "state", "established"]).StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 2,
                "an established connection (both ends)", TimeSpan.FromSeconds(20));
            Poll.Until(() => File.Exists(sock) && ns.Exec("ss", ["-ulnH"]).StdOut.Contains(":5002"), "the UDP and UNIX sockets", TimeSpan.FromSeconds(20));

            var tcp = Ss(ns, "-tanpH");
            Assert.Equal(tcp, Ours(ns, "-tanpH"));
            // The state really is what we think it is, so the comparison covers it.
            Assert.Contains(tcp, l => l.StartsWith("LISTEN 0 5 0.0.0.0:5000 0.0.0.0:* users:((\"socat\",pid=", StringComparison.Ordinal));
            Assert.Contains(tcp, l => l.StartsWith("LISTEN 0 5 [::1]:5001 [::]:*", StringComparison.Ordinal));
            Assert.Equal(2, tcp.Count(l => l.StartsWith("ESTAB", StringComparison.Ordinal)));
            Assert.Contains(tcp, l => l.Contains($"pid={listener.Id},", StringComparison.Ordinal));

            var udp = Ss(ns, "-uanpH");
            Assert.Equal(udp, Ours(ns, "-uanpH"));
            Assert.Contains(udp, l => l.StartsWith("UNCONN 0 0 0.0.0.0:5002 0.0.0.0:*", StringComparison.Ordinal));

            var unix = Ss(ns, "-xanpH");
            Assert.Equal(unix, Ours(ns, "-xanpH"));
            Assert.Contains(unix, l => l.StartsWith($"u_str LISTEN 0 5 {sock} ", StringComparison.Ordinal));

            Assert.Equal(Ss(ns, "-tnH state established"), Ours(ns, "-tnH state established"));
            Assert.Equal(Ss(ns, "-tlnH"), Ours(ns, "-tlnH"));
            Assert.Equal(Ss(ns, "-tuxlnH"), Ours(ns, "-tuxlnH"));
            client.Kill(entireProcessTree: true);
        }
        finally
        {
            File.Delete(sock);
        }
    }
}
