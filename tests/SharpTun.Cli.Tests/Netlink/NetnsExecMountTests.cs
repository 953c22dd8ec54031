namespace SharpTun.Cli.Tests.Netlink;

/// <summary>
/// <c>netns exec</c> sets up the mounts <c>ip netns exec</c> does: the namespace's own sysfs on /sys (so
/// /sys/class/net lists its devices, not the host's) and /etc/netns/NAME/FILE over /etc/FILE, in a private
/// mount namespace that leaves the host's mounts as they were.
/// </summary>
public sealed class NetnsExecMountTests
{
    [RootFact]
    public void Sys_class_net_lists_the_namespaces_devices_as_with_ip_netns_exec()
    {
        using var ns = NetNs.Create();
        var dev = UniqueName.Next("mx");
        ns.Ip($"link add {dev} type veth peer name {dev}p");
        var ours = Run.Exec("dotnet", Repo.Cli("netns", "exec", ns.Name, "ls", "/sys/class/net")).EnsureSuccess().StdOut;
        var ip = Run.Exec("ip", ["netns", "exec", ns.Name, "ls", "/sys/class/net"]).EnsureSuccess().StdOut;
        Assert.Equal(ip, ours);
        Assert.Equal(["lo", dev, dev + "p"], ours.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        // Through -n too: tuntap list reads /sys/class/net of the namespace.
        Assert.Equal("", Run.Exec("dotnet", Repo.Cli("-n", ns.Name, "tuntap", "list")).EnsureSuccess().StdOut);
        // The host's /sys is untouched.
        Assert.False(Directory.Exists($"/sys/class/net/{dev}"));
        Assert.True(Directory.Exists("/sys/class/net/lo"));
    }

    [RootFact]
    public void Etc_netns_files_are_bound_over_etc()
    {
        using var ns = NetNs.Create();
        var dir = Path.Combine("/etc/netns", ns.Name);
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "hosts"), "198.18.0.9 only-in-this-namespace\n");
            var ours = Run.Exec("dotnet", Repo.Cli("netns", "exec", ns.Name, "cat", "/etc/hosts")).EnsureSuccess().StdOut;
            Assert.Equal("198.18.0.9 only-in-this-namespace\n", ours);
            Assert.Equal(Run.Exec("ip", ["netns", "exec", ns.Name, "cat", "/etc/hosts"]).EnsureSuccess().StdOut, ours);
            Assert.DoesNotContain("only-in-this-namespace", File.ReadAllText("/etc/hosts"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
