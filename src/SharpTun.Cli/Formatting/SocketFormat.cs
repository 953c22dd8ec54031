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

    internal static IEnumerable<string> Table(IReadOnlyList<SocketInfo> sockets, bool netId, bool state, bool processes, bool header)
    {
        var rows = new List<string[]>();
        if (header)
        {
            rows.Add([.. Columns(netId, state, "Netid", "State", "Recv-Q", "Send-Q", "Local Address:Port", "Peer Address:Port", processes ? "Process" : null)]);
        }
        foreach (var s in sockets)
        {
            rows.Add([.. Columns(netId, state, s.NetId, SocketStates.Name(s.State),
                s.ReceiveQueue.ToString(CultureInfo.InvariantCulture), s.SendQueue.ToString(CultureInfo.InvariantCulture),
                SocketAddressText.Local(s), SocketAddressText.Peer(s), processes ? Users(s) : null)]);
        }
        if (rows.Count == 0)
        {
            yield break;
        }
        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var r in rows)
        {
            var sb = new StringBuilder();
            for (var i = 0; i < r.Length; i++)
            {
                sb.Append(i == r.Length - 1 ? r[i] : r[i].PadRight(widths[i] + 1));
            }
            yield return sb.ToString().TrimEnd();
        }
    }

    private static IEnumerable<string> Columns(bool netId, bool state, string n, string st, string rq, string sq, string local, string peer, string? process)
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
        yield return local;
        yield return peer;
        if (process is not null)
        {
            yield return process;
        }
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
