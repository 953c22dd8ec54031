using System.Globalization;
using System.Text;

namespace SharpTun.Cli.Formatting;

/// <summary>
/// <c>netstat -s</c> as net-tools 2.10 prints /proc/net/snmp and /proc/net/netstat (IPv4), or /proc/net/snmp6 and
/// the Tcp table of /proc/net/snmp (IPv6): each table "Title:" and one line per counter from a sorted description
/// table, looked up with C's bsearch (so a counter the table holds out of order falls back to "Name: value",
/// printed only when not zero, as netstat does), the ICMP histograms under their titles, static settings left out.
/// </summary>
internal sealed class NetstatStatistics
{
    private enum K
    {
        Number = 0,
        OptNumber,
        Forward,
        InIcmp,
        OutIcmp,
        RtoAlg,
    }

    private sealed record Entry(string Name, string Out, K Type, bool Static, bool Titled);

    private sealed record Table(string Title, Entry[] Entries, bool Shown);

    /// <summary>Indent and histogram title of each state (statedesc).</summary>
    private static readonly (int Indent, string? Title)[] s_states =
        [(4, null), (4, null), (4, null), (8, "ICMP input histogram:"), (8, "ICMP output histogram:"), (0, null)];

    private readonly StringBuilder _out = new();
    private readonly bool _raw;
    private readonly bool _tcp;
    private readonly bool _udp;
    private K _state;

    private NetstatStatistics(bool raw, bool tcp, bool udp)
    {
        _raw = raw;
        _tcp = tcp;
        _udp = udp;
    }

    /// <summary>IPv4: /proc/net/snmp then /proc/net/netstat (null when absent).</summary>
    internal static string V4(string snmp, string? netstat, bool raw, bool tcp, bool udp)
    {
        var s = new NetstatStatistics(raw, tcp, udp);
        s.Pairs(snmp, null);
        if (netstat is not null)
        {
            s.Pairs(netstat, null);
        }
        return s._out.ToString();
    }

    /// <summary>IPv6: /proc/net/snmp6 ("Name value" lines), then the tables of /proc/net/snmp whose title starts with "Tcp".</summary>
    internal static string V6(string snmp6, string snmp, bool raw, bool tcp, bool udp)
    {
        var s = new NetstatStatistics(raw, tcp, udp);
        Table? table = null;
        string? prefix = null;
        foreach (var line in snmp6.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 2)
            {
                continue;
            }
            // cpytitle: the name up to and including its first '6' ("Icmp6InMsgs" → "Icmp6").
            if (prefix is null || !f[0].Contains(prefix, StringComparison.Ordinal))
            {
                var six = f[0].IndexOf('6', StringComparison.Ordinal);
                prefix = six < 0 ? f[0] : f[0][..(six + 1)];
                table = s.NewTable(s.V6Tables(), prefix);
            }
            if (table!.Shown)
            {
                s.Print(table, f[0], Value(f[1]));
            }
        }
        s.Pairs(snmp, "Tcp");
        return s._out.ToString();
    }

    /// <summary>process_fd: "Title: names…" and "Title: values…" line pairs.</summary>
    private void Pairs(string text, string? filter)
    {
        var lines = text.Split('\n').Where(l => l.Length > 0).ToArray();
        for (var i = 0; i + 1 < lines.Length; i += 2)
        {
            var names = lines[i];
            var values = lines[i + 1];
            var colon = names.IndexOf(':', StringComparison.Ordinal);
            var vcolon = values.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || vcolon < 0)
            {
                return;
            }
            var title = names[..colon];
            if (filter is not null && !title.StartsWith(filter, StringComparison.Ordinal))
            {
                continue;
            }
            var table = NewTable(V4Tables(), title);
            var n = names[(colon + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            var v = values[(vcolon + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            for (var j = 0; j < n.Length && table.Shown; j++)
            {
                Print(table, n[j], j < v.Length ? Value(v[j]) : 0);
            }
        }
    }

    /// <summary>strtoull: a negative number wraps.</summary>
    private static ulong Value(string text) =>
        text.StartsWith('-') ? unchecked((ulong)long.Parse(text, CultureInfo.InvariantCulture)) : ulong.Parse(text, CultureInfo.InvariantCulture);

    private Table[] V4Tables() =>
    [
        new("Ip", s_iptab, _raw), new("Icmp", s_icmptab, _raw), new("Tcp", s_tcptab, _tcp), new("Udp", s_udptab, _udp),
        new("TcpExt", s_tcpexttab, _tcp),
    ];

    private Table[] V6Tables() =>
        [new("Ip6", s_ip6tab, _raw), new("Icmp6", s_icmp6tab, _raw), new("Udp6", s_udp6tab, _udp), new("Tcp6", s_tcptab, _tcp)];

    private Table NewTable(Table[] tables, string title)
    {
        var known = tables.FirstOrDefault(t => t.Title == title);
        if (known is null || known.Shown)
        {
            _out.Append(title).Append(":\n");
        }
        if (known is null)
        {
            // A table netstat does not know is printed whatever the protocol flags (f_unknown), and keeps the
            // indent of the state the previous table left (IcmpMsg after the ICMP histograms: 8).
            return new Table(title, [], true);
        }
        _state = K.Number;
        return known;
    }

    private void Print(Table table, string name, ulong value)
    {
        var entry = BinarySearch(table.Entries, name);
        if (entry is null)
        {
            if (value != 0)
            {
                Line(s_states[(int)_state].Indent, $"{name}: {value.ToString(CultureInfo.InvariantCulture)}");
            }
            return;
        }
        if (entry.Static || entry.Out.Length == 0)
        {
            return;
        }
        var type = entry.Type;
        if (entry.Titled && _state != type)
        {
            Line(s_states[(int)_state].Indent, s_states[(int)type].Title!);
        }
        var text = type switch
        {
            K.OptNumber when value == 0 => null,
            K.Number or K.OptNumber => entry.Out.Replace("%llu", value.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal),
            K.InIcmp or K.OutIcmp when value > 0 => entry.Out.Replace("%llu", value.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal),
            _ => null,
        };
        if (text is not null)
        {
            Line(s_states[(int)type].Indent, text);
        }
        _state = type;
    }

    private void Line(int indent, string text) => _out.Append(' ', indent).Append(text).Append('\n');

    /// <summary>glibc's bsearch with strcmp: exactly its probes, so an entry out of order can be missed as netstat misses it.</summary>
    private static Entry? BinarySearch(Entry[] entries, string name)
    {
        int l = 0, u = entries.Length;
        while (l < u)
        {
            var i = (l + u) / 2;
            var c = string.CompareOrdinal(name, entries[i].Name);
            if (c < 0)
            {
                u = i;
            }
            else if (c > 0)
            {
                l = i + 1;
            }
            else
            {
                return entries[i];
            }
        }
        return null;
    }

    private static readonly Entry[] s_iptab =
    [
        new("DefaultTTL", "Default TTL is %llu", K.Number, true, false),
        new("Forwarding", "Forwarding is %s", K.Forward, true, false),
        new("ForwDatagrams", "%llu forwarded", K.Number, false, false),
        new("FragCreates", "%llu fragments created", K.OptNumber, false, false),
        new("FragFails", "%llu outgoing packets failed fragmentation", K.OptNumber, false, false),
        new("FragOKs", "%llu outgoing packets fragmented ok", K.OptNumber, false, false),
        new("InAddrErrors", "%llu with invalid addresses", K.OptNumber, false, false),
        new("InDelivers", "%llu incoming packets delivered", K.Number, false, false),
        new("InDiscards", "%llu incoming packets discarded", K.Number, false, false),
        new("InHdrErrors", "%llu with invalid headers", K.OptNumber, false, false),
        new("InReceives", "%llu total packets received", K.Number, false, false),
        new("InUnknownProtos", "%llu with unknown protocol", K.OptNumber, false, false),
        new("OutDiscards", "%llu outgoing packets dropped", K.OptNumber, false, false),
        new("OutNoRoutes", "%llu dropped because of missing route", K.OptNumber, false, false),
        new("OutRequests", "%llu requests sent out", K.Number, false, false),
        new("ReasmFails", "%llu packet reassemblies failed", K.OptNumber, false, false),
        new("ReasmOKs", "%llu packets reassembled ok", K.OptNumber, false, false),
        new("ReasmReqds", "%llu reassemblies required", K.OptNumber, false, false),
        new("ReasmTimeout", "%llu fragments dropped after timeout", K.OptNumber, false, false),
    ];

    private static readonly Entry[] s_ip6tab =
    [
        new("Ip6FragCreates", "%llu fragments created", K.OptNumber, false, false),
        new("Ip6FragFails", "%llu outgoing packets failed fragmentation", K.OptNumber, false, false),
        new("Ip6FragOKs", "%llu outgoing packets fragmented ok", K.OptNumber, false, false),
        new("Ip6InAddrErrors", "%llu with invalid addresses", K.OptNumber, false, false),
        new("Ip6InDelivers", "%llu incoming packets delivered", K.Number, false, false),
        new("Ip6InDiscards", "%llu incoming packets discarded", K.Number, false, false),
        new("Ip6InHdrErrors", "%llu with invalid headers", K.OptNumber, false, false),
        new("Ip6InMcastPkts", "%llu incoming multicast packets", K.OptNumber, false, false),
        new("Ip6InNoRoutes", "%llu incoming packets with no route", K.OptNumber, false, false),
        new("Ip6InReceives", "%llu total packets received", K.Number, false, false),
        new("Ip6InTooBigErrors", "%llu with packets too big", K.OptNumber, false, false),
        new("Ip6InTruncatedPkts", "%llu with truncated packets", K.OptNumber, false, false),
        new("Ip6InUnknownProtos", "%llu with unknown protocol", K.OptNumber, false, false),
        new("Ip6OutDiscards", "%llu outgoing packets dropped", K.OptNumber, false, false),
        new("Ip6OutForwDatagrams", "%llu forwarded", K.Number, false, false),
        new("Ip6OutMcastPkts", "%llu outgoing multicast packets", K.OptNumber, false, false),
        new("Ip6OutNoRoutes", "%llu dropped because of missing route", K.OptNumber, false, false),
        new("Ip6OutRequests", "%llu requests sent out", K.Number, false, false),
        new("Ip6ReasmFails", "%llu packet reassemblies failed", K.OptNumber, false, false),
        new("Ip6ReasmOKs", "%llu packets reassembled ok", K.OptNumber, false, false),
        new("Ip6ReasmReqds", "%llu reassemblies required", K.OptNumber, false, false),
        new("Ip6ReasmTimeout", "%llu fragments dropped after timeout", K.OptNumber, false, false),
    ];

    private static readonly Entry[] s_icmptab =
    [
        new("InAddrMaskReps", "address mask replies: %llu", K.InIcmp, false, true),
        new("InAddrMasks", "address mask request: %llu", K.InIcmp, false, true),
        new("InDestUnreachs", "destination unreachable: %llu", K.InIcmp, false, true),
        new("InEchoReps", "echo replies: %llu", K.InIcmp, false, true),
        new("InEchos", "echo requests: %llu", K.InIcmp, false, true),
        new("InErrors", "%llu input ICMP message failed", K.Number, false, false),
        new("InMsgs", "%llu ICMP messages received", K.Number, false, false),
        new("InParmProbs", "wrong parameters: %llu", K.InIcmp, false, true),
        new("InRedirects", "redirects: %llu", K.InIcmp, false, true),
        new("InSrcQuenchs", "source quenches: %llu", K.InIcmp, false, true),
        new("InTimeExcds", "timeout in transit: %llu", K.InIcmp, false, true),
        new("InTimestampReps", "timestamp reply: %llu", K.InIcmp, false, true),
        new("InTimestamps", "timestamp request: %llu", K.InIcmp, false, true),
        new("OutAddrMaskReps", "address mask replies: %llu", K.OutIcmp, false, true),
        new("OutAddrMasks", "address mask requests: %llu", K.OutIcmp, false, true),
        new("OutDestUnreachs", "destination unreachable: %llu", K.OutIcmp, false, true),
        new("OutEchoReps", "echo replies: %llu", K.OutIcmp, false, true),
        new("OutEchos", "echo requests: %llu", K.OutIcmp, false, true),
        new("OutErrors", "%llu ICMP messages failed", K.Number, false, false),
        new("OutMsgs", "%llu ICMP messages sent", K.Number, false, false),
        new("OutParmProbs", "wrong parameters: %llu", K.OutIcmp, false, true),
        new("OutRedirects", "redirect: %llu", K.OutIcmp, false, true),
        new("OutSrcQuenchs", "source quench: %llu", K.OutIcmp, false, true),
        new("OutTimeExcds", "time exceeded: %llu", K.OutIcmp, false, true),
        new("OutTimestampReps", "timestamp replies: %llu", K.OutIcmp, false, true),
        new("OutTimestamps", "timestamp requests: %llu", K.OutIcmp, false, true),
    ];

    private static readonly Entry[] s_icmp6tab =
    [
        new("Icmp6InDestUnreachs", "destination unreachable: %llu", K.InIcmp, false, true),
        new("Icmp6InEchoReplies", "echo replies: %llu", K.InIcmp, false, true),
        new("Icmp6InEchos", "echo requests: %llu", K.InIcmp, false, true),
        new("Icmp6InErrors", "%llu input ICMP message failed", K.Number, false, false),
        new("Icmp6InGroupMembQueries", "group member queries: %llu", K.InIcmp, false, true),
        new("Icmp6InGroupMembReductions", "group member reductions: %llu", K.InIcmp, false, true),
        new("Icmp6InGroupMembResponses", "group member responses: %llu", K.InIcmp, false, true),
        new("Icmp6InMsgs", "%llu ICMP messages received", K.Number, false, false),
        new("Icmp6InNeighborAdvertisements", "neighbour advertisement: %llu", K.InIcmp, false, true),
        new("Icmp6InNeighborSolicits", "neighbour solicits: %llu", K.InIcmp, false, true),
        new("Icmp6InParmProblems", "parameter problem: %llu", K.InIcmp, false, true),
        new("Icmp6InPktTooBigs", "packets too big: %llu", K.InIcmp, false, true),
        new("Icmp6InRedirects", "redirects: %llu", K.InIcmp, false, true),
        new("Icmp6InRouterAdvertisements", "router advertisement: %llu", K.InIcmp, false, true),
        new("Icmp6InRouterSolicits", "router solicits: %llu", K.InIcmp, false, true),
        new("Icmp6InTimeExcds", "received ICMPv6 time exceeded: %llu", K.InIcmp, false, true),
        new("Icmp6OutDestUnreachs", "destination unreachable: %llu", K.OutIcmp, false, true),
        new("Icmp6OutEchoReplies", "echo replies: %llu", K.OutIcmp, false, true),
        new("Icmp6OutEchos", "echo requests: %llu", K.OutIcmp, false, true),
        new("Icmp6OutGroupMembQueries", "group member queries: %llu", K.OutIcmp, false, true),
        new("Icmp6OutGroupMembReductions", "group member reductions: %llu", K.OutIcmp, false, true),
        new("Icmp6OutGroupMembResponses", "group member responses: %llu", K.OutIcmp, false, true),
        new("Icmp6OutMsgs", "%llu ICMP messages sent", K.Number, false, false),
        new("Icmp6OutNeighborAdvertisements", "neighbor advertisements: %llu", K.OutIcmp, false, true),
        new("Icmp6OutNeighborSolicits", "neighbor solicits: %llu", K.OutIcmp, false, true),
        new("Icmp6OutParmProblems", "parameter problem: %llu", K.OutIcmp, false, true),
        new("Icmp6OutPktTooBigs", "packets too big: %llu", K.OutIcmp, false, true),
        new("Icmp6OutRedirects", "redirects: %llu", K.OutIcmp, false, true),
        new("Icmp6OutRouterAdvertisements ", "router advertisement: %llu", K.OutIcmp, false, true),
        new("Icmp6OutRouterSolicits", "router solicits: %llu", K.OutIcmp, false, true),
        new("Icmp6OutTimeExcds", "sent ICMPv6 time exceeded: %llu", K.OutIcmp, false, true),
    ];

    private static readonly Entry[] s_tcptab =
    [
        new("ActiveOpens", "%llu active connection openings", K.Number, false, false),
        new("AttemptFails", "%llu failed connection attempts", K.Number, false, false),
        new("CurrEstab", "%llu connections established", K.Number, false, false),
        new("EstabResets", "%llu connection resets received", K.Number, false, false),
        new("InErrs", "%llu bad segments received", K.Number, false, false),
        new("InSegs", "%llu segments received", K.Number, false, false),
        new("MaxConn", "", K.Number, false, false),
        new("OutRsts", "%llu resets sent", K.Number, false, false),
        new("OutSegs", "%llu segments sent out", K.Number, false, false),
        new("PassiveOpens", "%llu passive connection openings", K.Number, false, false),
        new("RetransSegs", "%llu segments retransmitted", K.Number, false, false),
        new("RtoAlgorithm", "RTO algorithm is %s", K.RtoAlg, true, false),
        new("RtoMax", "", K.Number, false, false),
        new("RtoMin", "", K.Number, false, false),
    ];

    private static readonly Entry[] s_udptab =
    [
        new("InDatagrams", "%llu packets received", K.Number, false, false),
        new("InErrors", "%llu packet receive errors", K.Number, false, false),
        new("NoPorts", "%llu packets to unknown port received", K.Number, false, false),
        new("OutDatagrams", "%llu packets sent", K.Number, false, false),
        new("RcvbufErrors", "%llu receive buffer errors", K.Number, false, false),
        new("SndbufErrors", "%llu send buffer errors", K.Number, false, false),
    ];

    private static readonly Entry[] s_udp6tab =
    [
        new("Udp6InDatagrams", "%llu packets received", K.Number, false, false),
        new("Udp6InErrors", "%llu packet receive errors", K.Number, false, false),
        new("Udp6NoPorts", "%llu packets to unknown port received", K.Number, false, false),
        new("Udp6OutDatagrams", "%llu packets sent", K.Number, false, false),
    ];

    private static readonly Entry[] s_tcpexttab =
    [
        new("DelayedACKLocked", "%llu delayed acks further delayed because of locked socket", K.OptNumber, false, false),
        new("DelayedACKLost", "Quick ack mode was activated %llu times", K.OptNumber, false, false),
        new("DelayedACKs", "%llu delayed acks sent", K.OptNumber, false, false),
        new("EmbryonicRsts", "%llu resets received for embryonic SYN_RECV sockets", K.OptNumber, false, false),
        new("ListenDrops", "%llu SYNs to LISTEN sockets dropped", K.OptNumber, false, false),
        new("ListenOverflows", "%llu times the listen queue of a socket overflowed", K.OptNumber, false, false),
        new("LockDroppedIcmps", "%llu ICMP packets dropped because socket was locked", K.OptNumber, false, false),
        new("OfoPruned", "%llu packets dropped from out-of-order queue because of socket buffer overrun", K.OptNumber, false, false),
        new("OutOfWindowIcmps", "%llu ICMP packets dropped because they were out-of-window", K.OptNumber, false, false),
        new("PAWSActive", "%llu active connections rejected because of time stamp", K.OptNumber, false, false),
        new("PAWSEstab", "%llu packets rejected in established connections because of timestamp", K.OptNumber, false, false),
        new("PAWSPassive", "%llu passive connections rejected because of time stamp", K.OptNumber, false, false),
        new("PruneCalled", "%llu packets pruned from receive queue because of socket buffer overrun", K.OptNumber, false, false),
        new("RcvPruned", "%llu packets pruned from receive queue", K.OptNumber, false, false),
        new("SockMallocOOM", "Ran %llu times out of system memory during packet sending", K.OptNumber, false, false),
        new("SyncookiesFailed", "%llu invalid SYN cookies received", K.OptNumber, false, false),
        new("SyncookiesRecv", "%llu SYN cookies received", K.OptNumber, false, false),
        new("SyncookiesSent", "%llu SYN cookies sent", K.OptNumber, false, false),
        new("TCPAbortFailed", "%llu times unable to send RST due to no memory", K.OptNumber, false, false),
        new("TCPAbortOnClose", "%llu connections reset due to early user close", K.OptNumber, false, false),
        new("TCPAbortOnData", "%llu connections reset due to unexpected data", K.OptNumber, false, false),
        new("TCPAbortOnLinger", "%llu connections aborted after user close in linger timeout", K.OptNumber, false, false),
        new("TCPAbortOnMemory", "%llu connections aborted due to memory pressure", K.OptNumber, false, false),
        new("TCPAbortOnSyn", "%llu connections reset due to unexpected SYN", K.OptNumber, false, false),
        new("TCPAbortOnTimeout", "%llu connections aborted due to timeout", K.OptNumber, false, false),
        new("TCPDirectCopyFromBacklog", "%llu bytes directly in process context from backlog", K.OptNumber, false, false),
        new("TCPDirectCopyFromPrequeue", "%llu bytes directly received in process context from prequeue", K.OptNumber, false, false),
        new("TCPDSACKOfoRecv", "%llu DSACKs for out of order packets received", K.OptNumber, false, false),
        new("TCPDSACKOfoSent", "%llu DSACKs sent for out of order packets", K.OptNumber, false, false),
        new("TCPDSACKOldSent", "%llu DSACKs sent for old packets", K.OptNumber, false, false),
        new("TCPDSACKRecv", "%llu DSACKs received", K.OptNumber, false, false),
        new("TCPDSackUndo", "%llu congestion window recovered without slow start using DSACK", K.OptNumber, false, false),
        new("TCPDSACKUndo", "%llu congestion windows recovered without slow start by DSACK", K.OptNumber, false, false),
        new("TCPFACKReorder", "Detected reordering %llu times using FACK", K.OptNumber, false, false),
        new("TCPFastRetrans", "%llu fast retransmits", K.OptNumber, false, false),
        new("TCPForwardRetrans", "%llu forward retransmits", K.OptNumber, false, false),
        new("TCPFullUndo", "%llu congestion windows fully recovered without slow start", K.OptNumber, false, false),
        new("TCPHPAcks", "%llu predicted acknowledgments", K.OptNumber, false, false),
        new("TCPHPHits", "%llu packet headers predicted", K.Number, false, false),
        new("TCPHPHitsToUser", "%llu packet headers predicted and directly queued to user", K.OptNumber, false, false),
        new("TCPLossFailures", "%llu timeouts in loss state", K.OptNumber, false, false),
        new("TCPLoss", "%llu TCP data loss events", K.OptNumber, false, false),
        new("TCPLossUndo", "%llu congestion windows recovered without slow start after partial ack", K.OptNumber, false, false),
        new("TCPLostRetransmits", "%llu retransmits lost", K.OptNumber, false, false),
        new("TCPMemoryPressures", "TCP ran low on memory %llu times", K.OptNumber, false, false),
        new("TCPPartialUndo", "%llu congestion windows partially recovered using Hoe heuristic", K.OptNumber, false, false),
        new("TCPPrequeued", "%llu packets directly queued to recvmsg prequeue", K.OptNumber, false, false),
        new("TCPPrequeueDropped", "%llu packets dropped from prequeue", K.OptNumber, false, false),
        new("TCPPureAcks", "%llu acknowledgments not containing data payload received", K.OptNumber, false, false),
        new("TCPRcvCollapsed", "%llu packets collapsed in receive queue due to low socket buffer", K.OptNumber, false, false),
        new("TCPRenoFailures", "%llu timeouts after reno fast retransmit", K.OptNumber, false, false),
        new("TCPRenoRecoveryFailed", "%llu reno fast retransmits failed", K.OptNumber, false, false),
        new("TCPRenoRecoveryFail", "%llu classic Reno fast retransmits failed", K.OptNumber, false, false),
        new("TCPRenoRecovery", "%llu times recovered from packet loss due to fast retransmit", K.OptNumber, false, false),
        new("TCPRenoReorder", "Detected reordering %llu times using reno fast retransmit", K.OptNumber, false, false),
        new("TCPSackFailures", "%llu timeouts after SACK recovery", K.OptNumber, false, false),
        new("TCPSackRecoveryFail", "%llu SACK retransmits failed", K.OptNumber, false, false),
        new("TCPSackRecovery", "%llu times recovered from packet loss by selective acknowledgements", K.OptNumber, false, false),
        new("TCPSACKReneging", "%llu bad SACK blocks received", K.OptNumber, false, false),
        new("TCPSACKReorder", "Detected reordering %llu times using SACK", K.OptNumber, false, false),
        new("TCPSchedulerFailed", "%llu times receiver scheduled too late for direct processing", K.OptNumber, false, false),
        new("TCPSlowStartRetrans", "%llu retransmits in slow start", K.OptNumber, false, false),
        new("TCPTimeouts", "%llu other TCP timeouts", K.OptNumber, false, false),
        new("TCPTSReorder", "Detected reordering %llu times using time stamp", K.OptNumber, false, false),
        new("TWKilled", "%llu TCP sockets finished time wait in slow timer", K.OptNumber, false, false),
        new("TW", "%llu TCP sockets finished time wait in fast timer", K.OptNumber, false, false),
        new("TWRecycled", "%llu time wait sockets recycled by time stamp", K.OptNumber, false, false),
    ];
}
