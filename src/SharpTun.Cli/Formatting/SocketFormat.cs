using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SharpTun.Netlink;

namespace SharpTun.Cli.Formatting;

/// <summary>Prints sockets as <c>ss -n</c> does: columns [Netid] State Recv-Q Send-Q Local Peer [Process].</summary>
internal static class SocketFormat
{
    internal static string Users(SocketInfo s) =>
        s.Owners.Count == 0 ? "" : "users:(" + string.Join(',', s.Owners.Select(o => $"(\"{o.Name}\",pid={o.Pid},fd={o.Fd})")) + ")";

    /// <summary>
    /// The table as ss 6.x renders it to a pipe or file (misc/ss.c render_calc_width, "compact output"): every
    /// column as wide as its longest field (header included) plus its left delimiter, Netid/State/Recv-Q/Send-Q
    /// left-aligned after one space, each address (with its ':' or, for UNIX sockets, ' ') right-aligned and its
    /// port left-aligned right after it, Process (" users:(…)", header "Process") last, left-aligned; a column's
    /// padding is printed even on the last column, so lines may end in spaces, as ss's do. No screen width is used
    /// (ss spreads columns over the terminal only when stdout is a terminal).
    /// </summary>
    internal static IEnumerable<string> Table(IReadOnlyList<SocketInfo> sockets, bool netId, bool state, bool processes, bool header)
    {
        var columns = new List<Column>();
        if (netId)
        {
            columns.Add(new("", false));
        }
        if (state)
        {
            columns.Add(new(" ", false));
        }
        columns.AddRange([new(" ", false), new(" ", false), new(" ", true), new("", false), new(" ", true), new("", false), new("", false)]);
        var rows = new List<string[]>();
        if (header)
        {
            rows.Add([.. Fields(netId, state, "Netid", "State", "Recv-Q", "Send-Q", ("Local Address:", "Port"), ("Peer Address:", "Port"), "Process")]);
        }
        foreach (var s in sockets)
        {
            rows.Add([.. Fields(netId, state, s.NetId, SocketStates.Name(s.State),
                // ss prints the queues with "%-6d": the field itself is padded to 6.
                s.ReceiveQueue.ToString(CultureInfo.InvariantCulture).PadRight(6), s.SendQueue.ToString(CultureInfo.InvariantCulture).PadRight(6),
                Split(SocketAddressText.Local(s), s.IsUnix), Split(SocketAddressText.Peer(s), s.IsUnix), processes && s.Owners.Count > 0 ? " " + Users(s) : "")]);
        }
        var widths = new int[columns.Count];
        var first = true;
        for (var i = 0; i < columns.Count; i++)
        {
            // ss measures every field but the table's very last one (the last row's last column): its
            // buffer's current token is not counted yet when the widths are computed. A longest Process
            // field in the last row therefore overflows its column there, and the rows above are not padded to it.
            var measured = i == columns.Count - 1 && rows.Count > 1 ? rows.Take(rows.Count - 1) : rows;
            var max = rows.Count == 0 ? 0 : measured.Max(r => r[i].Length);
            widths[i] = !first && max > 0 ? max + columns[i].Delimiter.Length : max;
            first &= widths[i] == 0;
        }
        var sb = new StringBuilder();
        foreach (var r in rows)
        {
            sb.Clear();
            for (var i = 0; i < columns.Count; i++)
            {
                var printed = 0;
                if (i > 0)
                {
                    sb.Append(columns[i].Delimiter);
                    printed = columns[i].Delimiter.Length;
                }
                if (columns[i].Right && widths[i] > 0 && widths[i] - r[i].Length - printed is > 0 and var left)
                {
                    sb.Append(' ', left);
                    printed += left;
                }
                sb.Append(r[i]);
                printed += r[i].Length;
                if (!columns[i].Right && widths[i] - printed is > 0 and var right)
                {
                    sb.Append(' ', right);
                }
            }
            yield return sb.ToString();
        }
    }

    /// <summary>ss's column: its left delimiter and whether it is right-aligned.</summary>
    private readonly record struct Column(string Delimiter, bool Right);

    /// <summary>"ADDR:PORT" → ("ADDR:", "PORT"); a UNIX socket's "PATH INODE" → ("PATH ", "INODE"): ss prints them as two columns.</summary>
    private static (string Address, string Port) Split(string endpoint, bool unix)
    {
        var at = endpoint.LastIndexOf(unix ? ' ' : ':') + 1;
        return (endpoint[..at], endpoint[at..]);
    }

    private static IEnumerable<string> Fields(bool netId, bool state, string n, string st, string rq, string sq,
        (string Address, string Port) local, (string Address, string Port) peer, string process)
    {
        if (netId)
        {
            yield return n;
        }
        if (state)
        {
            yield return st;
        }
        yield return rq;
        yield return sq;
        yield return local.Address;
        yield return local.Port;
        yield return peer.Address;
        yield return peer.Port;
        yield return process;
    }

    internal static JsonObject Json(SocketInfo s)
    {
        var o = new JsonObject
        {
            ["netid"] = s.NetId,
            ["state"] = SocketStates.Name(s.State),
            ["recv_q"] = s.ReceiveQueue,
            ["send_q"] = s.SendQueue,
        };
        if (s.IsUnix)
        {
            o["local"] = s.Path ?? "*";
            o["peer_inode"] = s.PeerInode;
        }
        else
        {
            o["local"] = s.LocalAddress!.ToString();
            o["local_port"] = s.LocalPort;
            o["peer"] = s.PeerAddress!.ToString();
            o["peer_port"] = s.PeerPort;
        }
        o["inode"] = s.Inode;
        o["users"] = new JsonArray([.. s.Owners.Select(u => (JsonNode)new JsonObject { ["name"] = u.Name, ["pid"] = u.Pid, ["fd"] = u.Fd })]);
        return o;
    }
}
