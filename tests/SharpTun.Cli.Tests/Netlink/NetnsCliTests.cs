namespace SharpTun.Cli.Tests.Netlink;

/// <summary><c>sharptun netns add|list|exec|del</c>, judged by <c>ip netns</c>.</summary>
public class NetnsCliTests
{
    [RootFact]
    public void AddListExecDelete()
    {
        var name = UniqueName.Next("stcn");
        try
        {
            Run.Exec("dotnet", Repo.Cli("netns", "add", name)).EnsureSuccess();
            Assert.Contains(name, Run.Exec("ip", ["netns", "list"]).EnsureSuccess().StdOut);
            Assert.Contains(name, Run.Exec("dotnet", Repo.Cli("netns", "list")).EnsureSuccess().StdOut.Split('\n'));
            var inside = Run.Exec("dotnet", Repo.Cli("netns", "exec", name, "readlink", "/proc/self/ns/net")).EnsureSuccess().StdOut.Trim();
            var expected = Run.Exec("ip", ["netns", "exec", name, "readlink", "/proc/self/ns/net"]).EnsureSuccess().StdOut.Trim();
            Assert.Equal(expected, inside);
            // The exit code of the program comes back.
            Assert.Equal(3, Run.Exec("dotnet", Repo.Cli("netns", "exec", name, "sh", "-c", "exit 3")).ExitCode);
            var dup = Run.Exec("dotnet", Repo.Cli("netns", "add", name));
            Assert.Equal(1, dup.ExitCode);
            Assert.Equal($"sharptun: cannot create namespace '{name}': it already exists", dup.StdErr.Trim());
            Run.Exec("dotnet", Repo.Cli("netns", "del", name)).EnsureSuccess();
            Assert.DoesNotContain(name, Run.Exec("ip", ["netns", "list"]).EnsureSuccess().StdOut);
        }
        finally
        {
            Run.Exec("ip", ["netns", "del", name]);
        }
    }
}
