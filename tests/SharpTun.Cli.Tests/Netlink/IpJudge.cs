using System.Text.Json.Nodes;

namespace SharpTun.Cli.Tests.Netlink;

/// <summary>
/// Compares <c>sharptun … --json</c> with <c>ip -j …</c> on the same namespace, field by field. The lists of
/// fields compared are the ones documented in /work/notes/4.md.
/// </summary>
internal static class IpJudge
{
    /// <summary>Link fields compared for every link (ip -j -d link show).</summary>
    internal static readonly string[] LinkFields =
        ["ifindex", "ifname", "link", "link_index", "link_netnsid", "flags", "mtu", "qdisc", "master", "operstate", "linkmode", "group",
         "txqlen", "link_type", "address", "broadcast", "promiscuity", "allmulti", "min_mtu", "max_mtu", "num_tx_queues", "num_rx_queues"];

    internal static JsonArray Ip(NetNs ns, string args)
    {
        var text = Run.Exec("ip", ["-n", ns.Name, "-j", .. args.Split(' ')]).EnsureSuccess().StdOut;
        return (JsonArray)JsonNode.Parse(string.IsNullOrWhiteSpace(text) ? "[]" : text)!;
    }

    internal static JsonArray Ours(NetNs ns, params string[] args)
    {
        var r = ns.St([.. args, "--json"]).EnsureSuccess();
        return (JsonArray)JsonNode.Parse(r.StdOut)!;
    }

    /// <summary>Asserts link, address and route views agree with iproute2 in <paramref name="ns"/>; returns how many values were compared.</summary>
    internal static int AssertSameAsIp(NetNs ns)
    {
        var compared = 0;
        var ipLinks = Ip(ns, "-d link show");
        var ourLinks = Ours(ns, "link", "show", "-d");
        Assert.Equal(Names(ipLinks), Names(ourLinks));
        for (var i = 0; i < ipLinks.Count; i++)
        {
            var ip = ipLinks[i]!.AsObject();
            var us = ourLinks[i]!.AsObject();
            var what = $"link {ip["ifname"]}";
            foreach (var f in LinkFields)
            {
                Same(ip[f], us[f], $"{what}.{f}");
                compared++;
            }
            Same(ip["linkinfo"]?["info_kind"], us["linkinfo"]?["info_kind"], $"{what}.linkinfo.info_kind");
            Same(ip["linkinfo"]?["info_slave_kind"], us["linkinfo"]?["info_slave_kind"], $"{what}.linkinfo.info_slave_kind");
            compared += 2;
        }

        var ipAddr = Ip(ns, "addr show");
        var ourAddr = Ours(ns, "addr", "show");
        Assert.Equal(Names(ipAddr), Names(ourAddr));
        for (var i = 0; i < ipAddr.Count; i++)
        {
            var ipInfo = ipAddr[i]!["addr_info"]!.AsArray();
            var ourInfo = ourAddr[i]!["addr_info"]!.AsArray();
            Assert.True(ipInfo.Count == ourInfo.Count, $"{ipAddr[i]!["ifname"]}: ip lists {ipInfo.Count} addresses, sharptun {ourInfo.Count}\nip: {ipInfo.ToJsonString()}\nsharptun: {ourInfo.ToJsonString()}");
            for (var j = 0; j < ipInfo.Count; j++)
            {
                compared += SameObject(ipInfo[j]!.AsObject(), ourInfo[j]!.AsObject(), $"{ipAddr[i]!["ifname"]} address {j}");
            }
        }

        foreach (var family in new[] { "-4", "-6" })
        {
            var ipRoutes = Ip(ns, $"{family} route show table all");
            var ourRoutes = Ours(ns, "route", "show", "table", "all", family);
            Assert.True(ipRoutes.Count == ourRoutes.Count, $"{family}: ip lists {ipRoutes.Count} routes, sharptun {ourRoutes.Count}\nip: {ipRoutes.ToJsonString()}\nsharptun: {ourRoutes.ToJsonString()}");
            for (var j = 0; j < ipRoutes.Count; j++)
            {
                compared += SameObject(ipRoutes[j]!.AsObject(), ourRoutes[j]!.AsObject(), $"{family} route {ipRoutes[j]!["dst"]}");
            }
        }
        return compared;
    }

    /// <summary>Asserts <c>sharptun route get</c> and <c>ip route get</c> agree on every field for <paramref name="destination"/>.</summary>
    internal static void SameRouteGet(NetNs ns, string destination)
    {
        var ip = Ip(ns, $"route get {destination}");
        var ours = Ours(ns, "route", "get", destination);
        Assert.Single(ip);
        Assert.Single(ours);
        SameObject(ip[0]!.AsObject(), ours[0]!.AsObject(), $"route get {destination}");
    }

    /// <summary>The text views read like ip's, line for line (ip ends some lines with a space; trailing blanks are ignored).</summary>
    internal static void SameText(NetNs ns)
    {
        foreach (var (ipArgs, ours) in new (string, string[])[]
        {
            ("link show", ["link", "show"]),
            ("addr show", ["addr", "show"]),
            ("route show table all", ["route", "show", "table", "all"]),
            ("-6 route show table all", ["route", "show", "table", "all", "-6"]),
            ("-4 route show table all", ["route", "show", "table", "all", "-4"]),
            ("route show", ["route", "show"]),
        })
        {
            var expected = Lines(Run.Exec("ip", ["-n", ns.Name, .. ipArgs.Split(' ')]).EnsureSuccess().StdOut);
            var actual = Lines(ns.St(ours).EnsureSuccess().StdOut);
            Assert.Equal(expected, actual);
        }
    }

    private static string[] Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd())];

    private static string[] Names(JsonArray a) => [.. a.Select(x => $"{x!["ifindex"]}:{x["ifname"]}")];

    internal static void Same(JsonNode? ip, JsonNode? ours, string what)
    {
        var a = ip?.ToJsonString();
        var b = ours?.ToJsonString();
        Assert.True(a == b, $"{what}: ip says {a ?? "(absent)"}, sharptun says {b ?? "(absent)"}");
    }

    /// <summary>Every key of either object must be present in both with the same value.</summary>
    internal static int SameObject(JsonObject ip, JsonObject ours, string what)
    {
        var keys = ip.Select(p => p.Key).Union(ours.Select(p => p.Key)).ToArray();
        foreach (var k in keys)
        {
            Same(ip[k], ours[k], $"{what}.{k} (ip {ip.ToJsonString()} / sharptun {ours.ToJsonString()})");
        }
        return keys.Length;
    }
}
