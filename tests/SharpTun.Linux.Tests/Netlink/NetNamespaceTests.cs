using SharpTun.Linux.Namespaces;
using SharpTun.Linux.Netlink;
using SharpTun.Testing;

namespace SharpTun.Linux.Tests.Netlink;

public class NetNamespaceTests
{
    private static string ThreadNs() => new FileInfo("/proc/thread-self/ns/net").LinkTarget!;

    [RootFact]
    public void Create_IsSeenByIpNetns_AndDeleteRemovesIt()
    {
        var name = UniqueName.Next("stns");
        NetNamespace.Create(name);
        try
        {
            Assert.Contains(name, NetNamespace.List());
            Assert.Contains(name, Run.Exec("ip", ["netns", "list"]).EnsureSuccess().StdOut);
            // A fresh namespace holds only loopback, down (as after 'ip netns add').
            var links = Run.Exec("ip", ["-n", name, "-o", "link", "show"]).EnsureSuccess().StdOut.Trim().Split('\n');
            Assert.Single(links);
            Assert.Contains("lo:", links[0]);
            Assert.Contains("state DOWN", links[0]);
            // It is a different namespace from ours.
            var inside = NetNamespace.Run(name, ThreadNs);
            Assert.NotEqual(ThreadNs(), inside);
            var ex = Assert.Throws<NetNamespaceException>(() => NetNamespace.Create(name));
            Assert.Equal($"cannot create namespace '{name}': it already exists", ex.Message);
        }
        finally
        {
            NetNamespace.Delete(name);
        }
        Assert.DoesNotContain(name, NetNamespace.List());
        Assert.False(File.Exists(Path.Combine("/run/netns", name)));
        Assert.DoesNotContain(name, Run.Exec("ip", ["netns", "list"]).EnsureSuccess().StdOut);
    }

    [RootFact]
    public void Run_EntersOnlyAPrivateThread_AndSocketsStayInTheNamespace()
    {
        using var ns = NetNs.Create();
        var before = ThreadNs();
        var expected = Run.Exec("ip", ["netns", "exec", ns.Name, "readlink", "/proc/self/ns/net"]).EnsureSuccess().StdOut.Trim();
        var seen = NetNamespace.Run(ns.Name, () => (ThreadNs(), Environment.CurrentManagedThreadId));
        Assert.Equal(expected, seen.Item1);
        Assert.NotEqual(Environment.CurrentManagedThreadId, seen.Item2);
        Assert.Equal(before, ThreadNs());

        ns.Ip("link add stdummy0 type bridge");
        using var client = RtNetlink.OpenInNamespace(ns.Name);
        // Used from this (root-namespace) thread, the socket still talks to the namespace it was made in.
        var names = client.GetLinks().Select(l => l.Name).Order().ToArray();
        Assert.Equal(["lo", "stdummy0"], names);
        Assert.Equal(before, ThreadNs());
    }

    [RootFact]
    public async Task RunAsync_EntersTheNamespace_AndPropagatesExceptions()
    {
        using var ns = NetNs.Create();
        var expected = Run.Exec("ip", ["netns", "exec", ns.Name, "readlink", "/proc/self/ns/net"]).EnsureSuccess().StdOut.Trim();
        Assert.Equal(expected, await NetNamespace.RunAsync(ns.Name, ThreadNs));
        await Assert.ThrowsAsync<NetNamespaceException>(() => NetNamespace.RunAsync(UniqueName.Next("stnone"), () => 1));
    }

    [RootFact]
    public void Run_PropagatesExceptions_AndMissingNamespaceIsClear()
    {
        using var ns = NetNs.Create();
        var e = Assert.Throws<InvalidOperationException>(() => NetNamespace.Run(ns.Name, () => throw new InvalidOperationException("boom")));
        Assert.Equal("boom", e.Message);
        var missing = UniqueName.Next("stnone");
        var ex = Assert.Throws<NetNamespaceException>(() => NetNamespace.Run(missing, () => 1));
        Assert.Equal($"cannot open namespace '{missing}': no such namespace (no /run/netns/{missing})", ex.Message);
        var del = Assert.Throws<NetNamespaceException>(() => NetNamespace.Delete(missing));
        Assert.StartsWith($"cannot delete namespace '{missing}': no such namespace", del.Message);
    }
}
