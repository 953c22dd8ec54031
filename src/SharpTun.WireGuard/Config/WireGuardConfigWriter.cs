using System.Globalization;
using System.Text;

namespace SharpTun.WireGuard;

/// <summary>
/// Writes a <see cref="WireGuardConfig"/>: [Interface] with the wg-quick keys first (Address per line,
/// DNS, MTU, Table, SaveConfig, hooks — as wg-quick's save_config writes them), then ListenPort,
/// FwMark (hex), PrivateKey, then each [Peer] after an empty line, exactly in <c>wg showconf</c>'s
/// order and spelling; SharpTun's own keys (TcpListenPort, TcpEndpoint) after the wg keys of their
/// section. Explicit zeros are written as <c>off</c> so that a parse reads them back.
/// </summary>
internal static class WireGuardConfigWriter
{
    internal static string Write(WireGuardConfig config)
    {
        var sb = new StringBuilder("[Interface]\n");
        var i = config.Interface;
        foreach (var a in i.Addresses)
        {
            Line(sb, "Address", a.ToString());
        }
        if (i.DnsServers.Count + i.DnsSearch.Count > 0)
        {
            Line(sb, "DNS", string.Join(", ", i.DnsServers.Select(d => d.ToString()).Concat(i.DnsSearch)));
        }
        if (i.Mtu is { } mtu)
        {
            Line(sb, "MTU", mtu.ToString(CultureInfo.InvariantCulture));
        }
        if (i.Table is { } table)
        {
            Line(sb, "Table", table.ToString());
        }
        if (i.SaveConfig)
        {
            Line(sb, "SaveConfig", "true");
        }
        Hooks(sb, "PreUp", i.PreUp);
        Hooks(sb, "PostUp", i.PostUp);
        Hooks(sb, "PreDown", i.PreDown);
        Hooks(sb, "PostDown", i.PostDown);
        if (i.ListenPort is { } port)
        {
            Line(sb, "ListenPort", port.ToString(CultureInfo.InvariantCulture));
        }
        if (i.FwMark is { } mark)
        {
            Line(sb, "FwMark", mark == 0 ? "off" : "0x" + mark.ToString("x", CultureInfo.InvariantCulture));
        }
        if (i.TcpListenPort is { } tcpPort)
        {
            Line(sb, "TcpListenPort", tcpPort == 0 ? "off" : tcpPort.ToString(CultureInfo.InvariantCulture));
        }
        if (i.PrivateKey is { } sk)
        {
            Line(sb, "PrivateKey", WireGuardKeys.ToBase64(sk));
        }
        foreach (var p in config.Peers)
        {
            sb.Append("\n[Peer]\n");
            Line(sb, "PublicKey", WireGuardKeys.ToBase64(p.PublicKey));
            if (p.PresharedKey is { } psk)
            {
                Line(sb, "PresharedKey", WireGuardKeys.ToBase64(psk));
            }
            if (p.AllowedIps.Count > 0)
            {
                Line(sb, "AllowedIPs", WireGuardConfig.Join(p.AllowedIps));
            }
            if (p.Endpoint is { } ep)
            {
                Line(sb, "Endpoint", ep.ToString());
            }
            if (p.TcpEndpoint is { } tcp)
            {
                Line(sb, "TcpEndpoint", tcp.ToString());
            }
            if (p.PersistentKeepalive is { } ka)
            {
                Line(sb, "PersistentKeepalive", ka == 0 ? "off" : ka.ToString(CultureInfo.InvariantCulture));
            }
        }
        return sb.ToString();
    }

    private static void Hooks(StringBuilder sb, string key, List<string> commands)
    {
        foreach (var c in commands)
        {
            Line(sb, key, c);
        }
    }

    private static void Line(StringBuilder sb, string key, string value) => sb.Append(key).Append(" = ").Append(value).Append('\n');
}
