namespace SharpTun.Cli.Tests.Netlink;

/// <summary>
/// <c>sharptun ss</c> aligns its columns as ss does when writing to a pipe, byte for byte (trailing spaces
/// included), on sockets whose addresses, ports, paths and programs differ in length.
/// </summary>
public class SsColumnTests
{
    [RootFact]
    public void Columns_match_ss_byte_for_byte()
    {
        using var ns = NetNs.Create();
        var sock = $"/tmp/{UniqueName.Next("stcol")}-a-longer-socket-path.sock";
        try
        {
            ns.Ip("link set lo up");
            ns.Ip("addr add 198.18.0.1/24 dev lo");
            ns.Ip("addr add 2001:db8::1/64 dev lo nodad");
            ns.Start("socat", ["TCP-LISTEN:5100,bind=127.0.0.1,reuseaddr,fork", "EXEC:cat"]);
            ns.Start("socat", ["TCP6-LISTEN:443,bind=[2001:db8::1]", "-"]);
            ns.Start("socat", ["UDP-RECVFROM:53,fork", "-"]);
            ns.Start("socat", [$"UNIX-LISTEN:{sock}", "-"]);
            Poll.Until(() => ns.Exec("ss", ["-tulnH"]).StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 3 && File.Exists(sock),
                "the listeners", TimeSpan.FromSeconds(20));
            // Bounded, and killed with its tree when the namespace is disposed; long enough for a slow machine.
            ns.Start("sh", ["-c", "sleep 600 | socat - TCP:127.0.0.1:5100"]);
            Poll.Until(() => ns.Exec("ss", ["-tnH", "state", "established"]).StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 2,
                "an established connection", TimeSpan.FromSeconds(20));
            foreach (var args in new[] { "-tuxanp", "-tuanp", "-xap", "-tan", "-xa", "-tlnH", "-uanH", "-tuxlnH", "-tanpH", "-tn state established", "-tan6" })
            {
                var expected = ns.Exec("ss", args.Split(' ')).EnsureSuccess().StdOut;
                var ours = Run.Exec("dotnet", Repo.Cli(["-n", ns.Name, "ss", .. args.Split(' ')])).EnsureSuccess().StdOut;
                Assert.True(expected == ours, $"ss {args}:\n--- ss\n{expected}--- sharptun\n{ours}");
            }
            var tcp = ns.Exec("ss", ["-tanp"]).StdOut;
            Assert.Contains("LISTEN 0      5      [2001:db8::1]:443", tcp);
            Assert.Contains($"{sock} ", ns.Exec("ss", ["-xap"]).StdOut);
        }
        finally
        {
            File.Delete(sock);
        }
    }

}
