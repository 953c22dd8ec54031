using System.Globalization;
using System.Text;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// <c>/run/sharptun/NAME.fulltunnel</c>: what <see cref="FullTunnel"/> installed outside the interface (rules,
/// nftables tables, the src_valid_mark sysctl), written before each piece is installed so that a daemon killed
/// with -9 at any moment leaves a record that covers everything it may have left. The next
/// <c>sharptun wg down NAME</c> or <c>sharptun wg up NAME</c> removes what it lists (in the network namespace it
/// names) and then the record. Plain text, one item per line:
/// <code>
/// pid 1234
/// netns net:[4026532246]
/// table 51820
/// rule ipv4 fwmark
/// rule ipv4 suppress
/// nft ip wg-quick-wg0
/// sysctl net.ipv4.conf.all.src_valid_mark 0
/// </code>
/// </summary>
internal sealed class FullTunnelRecord
{
    /// <summary>The daemon that installed it.</summary>
    public int Pid { get; set; }

    /// <summary>The network namespace it was installed in (<c>readlink /proc/self/ns/net</c>).</summary>
    public string NetNs { get; set; } = "";

    /// <summary>The fwmark and table id.</summary>
    public uint Table { get; set; }

    /// <summary>Rules added, as (family "ipv4"/"ipv6", "fwmark" = <c>not fwmark T table T</c> or "suppress" = <c>table main suppress_prefixlength 0</c>).</summary>
    public List<(string Family, string Kind)> Rules { get; } = [];

    /// <summary>nftables tables added, as (family "ip"/"ip6", name).</summary>
    public List<(string Family, string Name)> NftTables { get; } = [];

    /// <summary>Sysctls changed, with the value they had before.</summary>
    public List<(string Key, string Before)> Sysctls { get; } = [];

    /// <summary>The record's file for an interface.</summary>
    public static string PathFor(string interfaceName, string directory) => Path.Combine(directory, interfaceName + ".fulltunnel");

    /// <summary>Writes the record (atomically: a temporary file renamed over it).</summary>
    public void Save(string path)
    {
        var sb = new StringBuilder();
        sb.Append("# sharptun wg up: policy routing for a default route through the tunnel (wg-quick's add_default);\n");
        sb.Append("# 'sharptun wg down' (or the next 'sharptun wg up') of this interface removes what is listed here.\n");
        sb.Append(CultureInfo.InvariantCulture, $"pid {Pid}\nnetns {NetNs}\ntable {Table}\n");
        foreach (var (family, kind) in Rules)
        {
            sb.Append(CultureInfo.InvariantCulture, $"rule {family} {kind}\n");
        }
        foreach (var (family, name) in NftTables)
        {
            sb.Append(CultureInfo.InvariantCulture, $"nft {family} {name}\n");
        }
        foreach (var (key, before) in Sysctls)
        {
            sb.Append(CultureInfo.InvariantCulture, $"sysctl {key} {before}\n");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path + ".tmp", sb.ToString());
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>Reads a record; null when there is none. A line it does not understand is an error naming the file and line.</summary>
    public static FullTunnelRecord? Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        return Parse(text, path);
    }

    /// <summary>Parses a record's text (<paramref name="path"/> for messages).</summary>
    public static FullTunnelRecord Parse(string text, string path)
    {
        var r = new FullTunnelRecord();
        var n = 0;
        foreach (var raw in text.Split('\n'))
        {
            n++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (f[0])
            {
                case "pid" when f.Length == 2 && int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid):
                    r.Pid = pid;
                    break;
                case "netns" when f.Length == 2:
                    r.NetNs = f[1];
                    break;
                case "table" when f.Length == 2 && uint.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var table):
                    r.Table = table;
                    break;
                case "rule" when f.Length == 3 && f[1] is "ipv4" or "ipv6" && f[2] is "fwmark" or "suppress":
                    r.Rules.Add((f[1], f[2]));
                    break;
                case "nft" when f.Length == 3 && f[1] is "ip" or "ip6":
                    r.NftTables.Add((f[1], f[2]));
                    break;
                case "sysctl" when f.Length == 3:
                    r.Sysctls.Add((f[1], f[2]));
                    break;
                default:
                    throw new InvalidDataException($"{path}:{n}: cannot read '{line}' (remove the file after checking 'ip rule' and 'nft list ruleset' by hand)");
            }
        }
        return r;
    }
}
