namespace SharpTun.Cli.Tests.Netlink;

/// <summary>
/// <c>netns exec</c> execs like <c>ip netns exec</c>: the process becomes the program (same PID, inside the
/// namespace), the program's options are its own, and a failed exec says so as ip does, exit 127/126.
/// </summary>
public sealed class NetnsExecTests
{
    [RootFact]
    public void The_process_becomes_the_program_inside_the_namespace()
    {
        using var ns = NetNs.Create();
        using var p = Run.Start("dotnet", Repo.Cli("netns", "exec", ns.Name, "sh", "-c", "echo $$; readlink /proc/self/ns/net; cat /proc/$$/comm"));
        var output = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(p.WaitForExit(60_000));
        Assert.Equal(0, p.ExitCode);
        Assert.Equal(p.Id.ToString(), output[0]);
        var expected = ns.Exec("readlink", ["/proc/self/ns/net"]).EnsureSuccess().StdOut.Trim();
        Assert.Equal(expected, output[1]);
        Assert.Equal("sh", output[2]);
    }

    [RootFact]
    public void The_programs_options_and_exit_code_pass_through()
    {
        using var ns = NetNs.Create();
        var ours = Run.Exec("dotnet", Repo.Cli("netns", "exec", ns.Name, "ping", "-h"));
        var ip = Run.Exec("ip", ["netns", "exec", ns.Name, "ping", "-h"]);
        Assert.Equal(ip.ExitCode, ours.ExitCode);
        Assert.Equal(ip.StdOut, ours.StdOut);
        Assert.Equal(ip.StdErr, ours.StdErr);
        Assert.Contains("Usage", ip.StdOut + ip.StdErr);
        var exit = Run.Exec("dotnet", Repo.Cli("netns", "exec", ns.Name, "sh", "-c", "exit 7"));
        Assert.Equal(7, exit.ExitCode);
    }

    [RootFact]
    public void A_missing_program_is_127_and_a_non_executable_one_126_in_ips_words()
    {
        using var ns = NetNs.Create();
        var missing = Run.Exec("dotnet", Repo.Cli("netns", "exec", ns.Name, "nosuchprog-st"));
        Assert.Equal(127, missing.ExitCode);
        Assert.Equal(Run.Exec("ip", ["netns", "exec", ns.Name, "nosuchprog-st"]).StdErr, missing.StdErr);
        Assert.Equal("exec of \"nosuchprog-st\" failed: No such file or directory\n", missing.StdErr);
        var notExecutable = Run.Exec("dotnet", Repo.Cli("netns", "exec", ns.Name, "/etc/passwd"));
        Assert.Equal(126, notExecutable.ExitCode);
        Assert.Equal("exec of \"/etc/passwd\" failed: Permission denied\n", notExecutable.StdErr);
        var noNs = Run.Exec("dotnet", Repo.Cli("netns", "exec", UniqueName.Next("nons"), "true"));
        Assert.Equal(1, noNs.ExitCode);
        Assert.Contains("no such namespace", noNs.StdErr);
    }
}
