using System.Text.Json;

namespace SharpTun.Cli.Tests;

/// <summary><c>sharptun tuntap</c> in fresh namespaces, judged by sysfs, <c>ip tuntap show</c> and <c>ip -d link show</c>.</summary>
public sealed class TuntapCliTests
{
    // ARPHRD_NONE for tun, ARPHRD_ETHER for tap (include/uapi/linux/if_arp.h).
    private const string TunType = "65534";
    private const string TapType = "1";

    [RootFact]
    public void Add_with_explicit_and_kernel_picked_names_creates_devices_of_the_right_type()
    {
        using var ns = NetNs.Create();
        var tun = UniqueName.Next("tu");
        var tap = UniqueName.Next("ta");
        Assert.Equal(tun, ns.St("tuntap", "add", tun, "--mode", "tun").EnsureSuccess().StdOut.Trim());
        Assert.Equal(tap, ns.St("tuntap", "add", tap, "--mode", "tap").EnsureSuccess().StdOut.Trim());
        var picked = ns.St("tuntap", "add", "--mode", "tun").EnsureSuccess().StdOut.Trim();
        Assert.Matches("^tun[0-9]+$", picked);
        var template = ns.St("tuntap", "add", "lab%d", "--mode", "tap").EnsureSuccess().StdOut.Trim();
        Assert.Equal("lab0", template);

        Assert.Equal(TunType, ns.Sys($"/sys/class/net/{tun}/type"));
        Assert.Equal(TunType, ns.Sys($"/sys/class/net/{picked}/type"));
        Assert.Equal(TapType, ns.Sys($"/sys/class/net/{tap}/type"));
        Assert.Equal(TapType, ns.Sys("/sys/class/net/lab0/type"));
    }

    [RootFact]
    public void List_agrees_with_ip_tuntap_show_and_ip_link_details()
    {
        using var ns = NetNs.Create();
        var plain = UniqueName.Next("tu");
        var full = UniqueName.Next("ta");
        ns.St("tuntap", "add", plain, "--mode", "tun").EnsureSuccess();
        ns.St("tuntap", "add", full, "--mode", "tap", "--user", "65534", "--group", "100", "--pi", "--multi-queue", "--vnet-hdr").EnsureSuccess();
        // Unique names only: both tools match attached processes to devices by name across all
        // namespaces (/proc/*/fdinfo has only "iff: NAME"), so a kernel-picked tun0 here could pick
        // up a parallel test's reader of its own tun0.
        ns.St("tuntap", "add", UniqueName.Next("tn"), "--mode", "tun", "--user", "nobody").EnsureSuccess();

        var ours = Index(ns.St("tuntap", "list", "--json").EnsureSuccess().StdOut);
        var theirs = Index(Run.Exec("ip", ["-n", ns.Name, "-j", "tuntap", "show"]).EnsureSuccess().StdOut);
        Assert.Equal(theirs.Keys.Order(), ours.Keys.Order());
        Assert.Equal(3, ours.Count);
        foreach (var (name, t) in theirs)
        {
            var o = ours[name];
            Assert.Equal(Flags(t), Flags(o));
            Assert.Equal(Num(t, "user"), Num(o, "user"));
            Assert.Equal(Num(t, "group"), Num(o, "group"));

            using var link = JsonDocument.Parse(Run.Exec("ip", ["-n", ns.Name, "-j", "-d", "link", "show", "dev", name]).EnsureSuccess().StdOut);
            var data = link.RootElement[0].GetProperty("linkinfo").GetProperty("info_data");
            var flags = Flags(o);
            Assert.Equal(data.GetProperty("type").GetString(), flags[0]);
            Assert.Equal(data.GetProperty("pi").GetBoolean(), flags.Contains("pi"));
            Assert.Equal(data.GetProperty("vnet_hdr").GetBoolean(), flags.Contains("vnet_hdr"));
            Assert.Equal(data.GetProperty("multi_queue").GetBoolean(), flags.Contains("multi_queue"));
            Assert.Equal(data.GetProperty("persist").GetBoolean(), flags.Contains("persist"));
            Assert.True(flags.Contains("persist"));
        }
        Assert.Equal(["tap", "pi", "multi_queue", "vnet_hdr", "persist", "filter"], Flags(ours[full]));
        Assert.Equal(65534, Num(ours[full], "user"));
        Assert.Equal(100, Num(ours[full], "group"));
        Assert.Null(Num(ours[plain], "user"));

        // The text form reads like ip tuntap show, line for line (ip sorts differently; compare as sets).
        var text = ns.St("tuntap", "list").EnsureSuccess().StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order();
        var ip = Run.Exec("ip", ["-n", ns.Name, "tuntap", "show"]).EnsureSuccess().StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order();
        Assert.Equal(ip, text);
    }

    [RootFact]
    public void List_names_the_processes_attached_like_ip_tuntap_show_details()
    {
        using var ns = NetNs.Create();
        var mq = UniqueName.Next("mq");
        ns.St("tuntap", "add", mq, "--mode", "tap", "--multi-queue").EnsureSuccess();
        var r1 = ns.StartSt("read", "-i", mq, "--tap", "--multi-queue", "--timeout", "30");
        var r2 = ns.StartSt("read", "-i", mq, "--tap", "--multi-queue", "--timeout", "30");
        ns.WaitAttached(mq, 2);
        using var doc = JsonDocument.Parse(ns.St("tuntap", "list", "--json").EnsureSuccess().StdOut);
        var dev = doc.RootElement.EnumerateArray().Single(d => d.GetProperty("ifname").GetString() == mq);
        var pids = dev.GetProperty("processes").EnumerateArray().Select(p => p.GetProperty("pid").GetInt32()).Order().ToArray();
        var ipPids = ns.AttachedPer(mq).Select(s => int.Parse(s[(s.LastIndexOf('(') + 1)..^1])).Order().ToArray();
        Assert.Equal(ipPids, pids);
        Assert.Equal(2, pids.Length);
    }

    [RootFact]
    public void Persistent_device_outlives_its_creator_admits_its_owner_and_refuses_others()
    {
        using var ns = NetNs.Create();
        var dev = UniqueName.Next("pe");
        ns.St("tuntap", "add", dev, "--mode", "tun", "--user", "65534").EnsureSuccess();
        // The creating process has exited; the device is still there.
        Assert.True(ns.SysExists($"/sys/class/net/{dev}"));

        using var cli = NonRootCli.Create();
        var owner = cli.RunAs(ns, 65534, "read", "-i", dev, "--timeout", "0.3");
        Assert.True(owner.ExitCode == 0, owner.ToString());

        var other = cli.RunAs(ns, 65533, "read", "-i", dev, "--timeout", "0.3");
        Assert.Equal(1, other.ExitCode);
        Assert.Contains($"cannot attach to tun device '{dev}': permission denied", other.StdErr);
        Assert.Contains("uid 65534", other.StdErr);

        // A non-owner cannot delete it either, and the message says why.
        var otherDel = cli.RunAs(ns, 65533, "tuntap", "del", dev, "--mode", "tun");
        Assert.Equal(1, otherDel.ExitCode);
        Assert.Contains("permission denied", otherDel.StdErr);
        Assert.True(ns.SysExists($"/sys/class/net/{dev}"));

        ns.St("tuntap", "del", dev, "--mode", "tun").EnsureSuccess();
        Assert.False(ns.SysExists($"/sys/class/net/{dev}"));
        Assert.DoesNotContain(dev, Run.Exec("ip", ["-n", ns.Name, "tuntap", "show"]).StdOut);
    }

    [RootFact]
    public void Attach_with_the_wrong_mode_fails_with_the_mode_mismatch_message()
    {
        using var ns = NetNs.Create();
        var dev = UniqueName.Next("mm");
        ns.St("tuntap", "add", dev, "--mode", "tap").EnsureSuccess();
        var read = ns.St("read", "-i", dev, "-c", "1");
        Assert.Equal(1, read.ExitCode);
        Assert.Contains($"cannot attach to '{dev}' in tun mode: mode mismatch, the device is a tap device", read.StdErr);
        var del = ns.St("tuntap", "del", dev, "--mode", "tun");
        Assert.Equal(1, del.ExitCode);
        Assert.Contains("mode mismatch", del.StdErr);
        Assert.True(ns.SysExists($"/sys/class/net/{dev}"));
    }

    [RootFact]
    public void Second_reader_of_a_single_queue_device_gets_device_busy()
    {
        using var ns = NetNs.Create();
        var dev = UniqueName.Next("bz");
        ns.St("tuntap", "add", dev, "--mode", "tun").EnsureSuccess();
        ns.StartSt("read", "-i", dev, "--timeout", "30");
        ns.WaitAttached(dev);
        var second = ns.St("read", "-i", dev, "-c", "1");
        Assert.Equal(1, second.ExitCode);
        Assert.Contains($"cannot attach to tun device '{dev}': device busy", second.StdErr);
    }

    [RootTheory]
    [InlineData("abcdefghijklmnop", "at most 15 bytes")]
    [InlineData("a/b", "contains '/'")]
    [InlineData("a:b", "contains ':'")]
    [InlineData("a b", "whitespace")]
    [InlineData("..", "not allowed")]
    public void Bad_names_are_refused_before_the_kernel_sees_them(string name, string why)
    {
        using var ns = NetNs.Create();
        var r = ns.St("tuntap", "add", name, "--mode", "tun");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"invalid tun device name '{name}'", r.StdErr);
        Assert.Contains(why, r.StdErr);
        Assert.Equal("[]", ns.St("tuntap", "list", "--json").EnsureSuccess().StdOut.Trim());
    }

    [RootFact]
    public void Deleting_a_missing_device_says_so()
    {
        using var ns = NetNs.Create();
        var r = ns.St("tuntap", "del", "nosuch0", "--mode", "tun");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("cannot delete tun device 'nosuch0': no such device", r.StdErr);
    }

    private static Dictionary<string, JsonElement> Index(string json)
    {
        var doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "[]" : json);
        return doc.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("ifname").GetString()!, e => e);
    }

    private static string[] Flags(JsonElement e) => e.GetProperty("flags").EnumerateArray().Select(f => f.GetString()!).ToArray();

    private static int? Num(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetInt32() : null;
}
