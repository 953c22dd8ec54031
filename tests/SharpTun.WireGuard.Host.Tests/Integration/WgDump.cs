namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>One peer line of <c>wg show NAME dump</c>.</summary>
internal sealed record WgDumpPeer(string PublicKey, string PresharedKey, string Endpoint, string AllowedIps,
    long LatestHandshake, long RxBytes, long TxBytes, string PersistentKeepalive);

/// <summary><c>wg show NAME dump</c> parsed: the interface line and one line per peer (tab-separated).</summary>
internal sealed record WgDump(string PrivateKey, string PublicKey, int ListenPort, string FwMark, IReadOnlyList<WgDumpPeer> Peers, string Text)
{
    internal static WgDump Parse(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0)
        {
            throw new FormatException("wg show dump printed nothing");
        }
        var i = lines[0].Split('\t');
        if (i.Length != 4)
        {
            throw new FormatException($"wg show dump: interface line has {i.Length} fields, expected 4: '{lines[0]}'");
        }
        List<WgDumpPeer> peers = [];
        foreach (var l in lines.Skip(1))
        {
            var f = l.Split('\t');
            if (f.Length != 8)
            {
                throw new FormatException($"wg show dump: peer line has {f.Length} fields, expected 8: '{l}'");
            }
            peers.Add(new WgDumpPeer(f[0], f[1], f[2], f[3], long.Parse(f[4]), long.Parse(f[5]), long.Parse(f[6]), f[7]));
        }
        return new WgDump(i[0], i[1], int.Parse(i[2]), i[3], peers, text);
    }

    internal WgDumpPeer Peer(string publicKey) =>
        Peers.FirstOrDefault(p => p.PublicKey == publicKey)
        ?? throw new InvalidOperationException($"peer {publicKey} not in wg show dump:\n{Text}");
}
