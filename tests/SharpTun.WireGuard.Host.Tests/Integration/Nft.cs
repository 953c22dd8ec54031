namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// An nftables table in one lab host that drops UDP to and from a port (both directions, counted):
/// "UDP blocked on the wire" as a hostile network does it. Dispose removes the table (the namespace
/// would take it anyway).
/// </summary>
internal sealed class Nft : IDisposable
{
    private readonly LabHost _host;
    private bool _removed;

    internal string Table { get; }

    private Nft(LabHost host, string table)
    {
        _host = host;
        Table = table;
    }

    internal static Nft BlockUdp(LabHost host, int port)
    {
        var table = UniqueName.Next("stblk").Replace('-', '_');
        var rules = $$"""
            table inet {{table}} {
              chain out { type filter hook output priority 0; policy accept; udp dport {{port}} counter drop; }
              chain in { type filter hook input priority 0; policy accept; udp sport {{port}} counter drop; }
            }
            """;
        host.Ns.Exec("nft", ["-f", "-"], TimeSpan.FromSeconds(30), rules).EnsureSuccess();
        return new Nft(host, table);
    }

    /// <summary>Packets the drop rules matched (both chains).</summary>
    internal long Dropped()
    {
        var text = _host.Must("nft", "list", "table", "inet", Table).StdOut;
        long total = 0;
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(text, @"counter packets (\d+)"))
        {
            total += long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }
        return total;
    }

    /// <summary>Lifts the block.</summary>
    internal void Remove()
    {
        if (!_removed)
        {
            _host.Must("nft", "delete", "table", "inet", Table);
            _removed = true;
        }
    }

    public void Dispose()
    {
        if (!_removed && LinkStats.Exists(_host, "lo"))
        {
            _host.Exec("nft", "delete", "table", "inet", Table);
        }
        _removed = true;
    }
}
