namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>Two-host tunnels on a <see cref="WireLab"/>: host 1 and host 2, inner v4 and v6 addresses, port 51820.</summary>
internal static class Pairs
{
    internal const int Port = 51820;

    internal static string[] InnerAddresses(LabHost h) => [$"{h.InnerV4}/24", $"{h.InnerV6}/64"];

    internal static string HostRoutes(LabHost h) => $"{h.InnerV4}/32, {h.InnerV6}/128";

    /// <summary>
    /// <paramref name="host"/>'s config (its key, port 51820, its inner addresses) with one peer, the one on
    /// <paramref name="peer"/>: that host's routes, at its outer IPv4 endpoint when <paramref name="withEndpoint"/>
    /// (a server leaves it out and learns it from the handshake).
    /// </summary>
    internal static WgConfig Config(LabHost host, WgKey key, LabHost peer, WgKey peerKey, bool withEndpoint = true) =>
        new(key, Port, InnerAddresses(host), [new WgPeer(peerKey.Public, HostRoutes(peer), withEndpoint ? $"{peer.OuterV4}:{Port}" : null)]);

    /// <summary>SharpTun on both hosts; each knows the other's endpoint (v6 outer if asked), so either can initiate.</summary>
    internal static (SharpTunWg A, SharpTunWg B) SharpTunBoth(WireLab lab, bool ipv6Outer)
    {
        var ha = lab.AddHost();
        var hb = lab.AddHost();
        var ka = WgKey.Generate();
        var kb = WgKey.Generate();
        var ea = ipv6Outer ? $"[{ha.OuterV6}]:{Port}" : $"{ha.OuterV4}:{Port}";
        var eb = ipv6Outer ? $"[{hb.OuterV6}]:{Port}" : $"{hb.OuterV4}:{Port}";
        var a = SharpTunWg.Start(ha, new WgConfig(ka, Port, InnerAddresses(ha), [new WgPeer(kb.Public, HostRoutes(hb), eb)]));
        var b = SharpTunWg.Start(hb, new WgConfig(kb, Port, InnerAddresses(hb), [new WgPeer(ka.Public, HostRoutes(ha), ea)]));
        return (a, b);
    }

    /// <summary>
    /// SharpTun on host 1 and wireguard-go (<paramref name="binary"/>) on host 2. Only the initiator is
    /// given the other's endpoint, so the handshake can only start on that side.
    /// </summary>
    internal static (SharpTunWg Ours, WireGuardGo Theirs) WithWireGuardGo(WireLab lab, string binary, bool sharpTunInitiates)
    {
        var ho = lab.AddHost();
        var ht = lab.AddHost();
        var ko = WgKey.Generate();
        var kt = WgKey.Generate();
        var theirs = WireGuardGo.Start(ht, Config(ht, kt, ho, ko, withEndpoint: !sharpTunInitiates), binary);
        var ours = SharpTunWg.Start(ho, Config(ho, ko, ht, kt, withEndpoint: sharpTunInitiates));
        return (ours, theirs);
    }
}
