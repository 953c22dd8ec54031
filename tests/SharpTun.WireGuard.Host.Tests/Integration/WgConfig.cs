using System.Text;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>One [Peer] section.</summary>
internal sealed record WgPeer(string PublicKey, string AllowedIps, string? Endpoint = null, string? PresharedKey = null,
    int? PersistentKeepalive = null);

/// <summary>
/// An interface configuration, rendered either as a wg-quick file (for <c>sharptun wg up</c>: with
/// Address/MTU) or as a <c>wg setconf</c> file (for wireguard-go: without them).
/// </summary>
internal sealed record WgConfig(WgKey Key, int ListenPort, IReadOnlyList<string> Addresses, IReadOnlyList<WgPeer> Peers)
{
    /// <summary>More wg-quick [Interface] lines (Table, MTU, SaveConfig, hooks), written after the Address lines.</summary>
    internal IReadOnlyList<string> InterfaceLines { get; init; } = [];

    /// <summary>Writes <see cref="WgQuick"/> to <paramref name="path"/> with mode 0600 (as wg-quick wants it) and returns the path.</summary>
    internal string WriteWgQuick(string path)
    {
        File.WriteAllText(path, WgQuick());
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    internal string WgQuick()
    {
        var sb = new StringBuilder();
        sb.Append("# written by SharpTun.WireGuard.Host.Tests\n[Interface]\n");
        sb.Append($"PrivateKey = {Key.Private}\nListenPort = {ListenPort}\n");
        foreach (var a in Addresses)
        {
            sb.Append($"Address = {a}\n");
        }
        foreach (var l in InterfaceLines)
        {
            sb.Append(l).Append('\n');
        }
        AppendPeers(sb);
        return sb.ToString();
    }

    internal string SetConf()
    {
        var sb = new StringBuilder();
        sb.Append($"[Interface]\nPrivateKey = {Key.Private}\nListenPort = {ListenPort}\n");
        AppendPeers(sb);
        return sb.ToString();
    }

    private void AppendPeers(StringBuilder sb)
    {
        foreach (var p in Peers)
        {
            sb.Append($"\n[Peer]\nPublicKey = {p.PublicKey}\nAllowedIPs = {p.AllowedIps}\n");
            if (p.Endpoint is not null)
            {
                sb.Append($"Endpoint = {p.Endpoint}\n");
            }
            if (p.PresharedKey is not null)
            {
                sb.Append($"PresharedKey = {p.PresharedKey}\n");
            }
            if (p.PersistentKeepalive is not null)
            {
                sb.Append($"PersistentKeepalive = {p.PersistentKeepalive}\n");
            }
        }
    }
}
