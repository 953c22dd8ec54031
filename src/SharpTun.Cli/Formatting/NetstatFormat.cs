using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SharpTun.Linux.NetTools;
using SharpTun.Netlink;

namespace SharpTun.Cli.Formatting;

/// <summary>What <c>netstat</c>'s flags select and how it prints (net-tools 2.10 netstat.c).</summary>
internal sealed record NetstatView
{
    public bool All { get; init; }
    public bool Listening { get; init; }
    public bool Numeric { get; init; }
    public bool Programs { get; init; }
    /// <summary>-e: the User and Inode columns.</summary>
    public bool Extend { get; init; }
    /// <summary>-W: addresses are not cut to fit 23 columns.</summary>
    public bool Wide { get; init; }
}

/// <summary>
/// The socket sections of net-tools 2.10 <c>netstat</c>: "Active Internet connections (…)" with
/// <c>%-4s  %6ld %6ld %-23s %-23s %-11s</c> for TCP (<c>%-5s</c> for UDP) and the PID/Program name column
/// (<c>%-20s</c>), and "Active UNIX domain sockets (…)" with RefCnt, Flags, Type, State, I-Node and Path.
/// Which sockets a line is printed for follows netstat, not ss: a TCP socket is a server when its peer port is
/// 0, a UDP socket when its peer address is unset.
/// </summary>
internal sealed class NetstatFormat(NetstatView view, NameDatabase names, IReadOnlyDictionary<ulong, string>? programs)
{
    private const ulong AcceptCon = 1 << 16;
    private const ulong WaitData = 1 << 17;
    private const ulong NoSpace = 1 << 18;

    private static readonly string[] s_tcpStates =
        ["", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "SYN_RECV"];

    private string Which => view.All ? "(servers and established)" : view.Listening ? "(only servers)" : "(w/o servers)";

    internal string InetHeader()
    {
        var sb = new StringBuilder("Active Internet connections ").Append(Which).Append('\n');
        sb.Append("Proto Recv-Q Send-Q Local Address           Foreign Address         State      ");
        if (view.Extend)
        {
            sb.Append(" User       Inode     ");
        }
        if (view.Programs)
        {
            sb.Append(' ').Append("PID/Program name".PadRight(20));
        }
        return sb.ToString();
    }

    /// <summary>The line of one TCP or UDP socket, or null when netstat's selection leaves it out.</summary>
    internal string? Inet(SocketInfo s)
    {
        var tcp = s.NetId == "tcp";
        var raw = s.NetId == "raw";
        var v6 = s.LocalAddress!.AddressFamily == AddressFamily.InterNetworkV6;
        if (!view.All)
        {
            var server = tcp ? s.PeerPort == 0 : IsZero(s.PeerAddress!);
            if (server != view.Listening)
            {
                return null;
            }
        }
        var protocol = s.NetId + (v6 ? "6" : "");
        var local = Endpoint(s.LocalAddress!, s.LocalPort, s.NetId);
        var peer = Endpoint(s.PeerAddress!, s.PeerPort, s.NetId);
        // /proc/net/tcp shows a listener's Send-Q as write_seq - snd_una (0); sock_diag gives its backlog limit.
        var sendQ = tcp && s.State == SocketState.Listen ? 0 : s.SendQueue;
        string line;
        if (raw)
        {
            // raw_do_one prints the kernel's state number.
            line = string.Format(CultureInfo.InvariantCulture, "{0,-4}  {1,6} {2,6} {3,-23} {4,-23} {5,-11}",
                protocol, s.ReceiveQueue, sendQ, local, peer, (int)s.State);
        }
        else if (tcp)
        {
            var state = (int)s.State < s_tcpStates.Length ? s_tcpStates[(int)s.State] : "";
            line = string.Format(CultureInfo.InvariantCulture, "{0,-4}  {1,6} {2,6} {3} {4} {5,-11}",
                protocol, s.ReceiveQueue, sendQ, local.PadRight(23), peer.PadRight(23), state);
        }
        else
        {
            var state = s.State switch { SocketState.Established => "ESTABLISHED", SocketState.Close => "", _ => "UNKNOWN" };
            line = string.Format(CultureInfo.InvariantCulture, "{0,-5} {1,6} {2,6} {3,-23} {4,-23} {5,-11}",
                protocol, s.ReceiveQueue, sendQ, local, peer, state);
        }
        return line + Finish(s.Uid, s.Inode);
    }

    private string Finish(uint uid, ulong inode)
    {
        var sb = new StringBuilder();
        if (view.Extend)
        {
            sb.Append(' ').Append((view.Numeric ? uid.ToString(CultureInfo.InvariantCulture) : names.User(uid)).PadRight(10)).Append(' ');
            sb.Append(inode.ToString(CultureInfo.InvariantCulture).PadRight(10));
        }
        if (view.Programs)
        {
            sb.Append(' ').Append(Program(inode).PadRight(20));
        }
        return sb.ToString();
    }

    private string Program(ulong inode) => programs is not null && programs.TryGetValue(inode, out var p) ? p : "-";

    internal string UnixHeader() =>
        "Active UNIX domain sockets " + Which + "\n" +
        "Proto RefCnt Flags       Type       State         I-Node  " + (view.Programs ? " " + "PID/Program name".PadRight(20) : "") + " Path";

    /// <summary>The line of one UNIX socket, or null when left out: a listener only with -l, the others only without it (-a: all).</summary>
    internal string? Unix(UnixSocketEntry u)
    {
        var listening = u.State == 1 && (u.Flags & AcceptCon) != 0;
        if (!view.All && listening != view.Listening)
        {
            return null;
        }
        var type = u.Type switch { 1 => "STREAM", 2 => "DGRAM", 3 => "RAW", 4 => "RDM", 5 => "SEQPACKET", _ => "UNKNOWN" };
        var state = u.State switch
        {
            0 => "FREE",
            1 => (u.Flags & AcceptCon) != 0 ? "LISTENING" : "",
            2 => "CONNECTING",
            3 => "CONNECTED",
            4 => "DISCONNECTING",
            _ => "UNKNOWN",
        };
        var flags = new StringBuilder("[ ");
        if ((u.Flags & AcceptCon) != 0)
        {
            flags.Append("ACC ");
        }
        if ((u.Flags & WaitData) != 0)
        {
            flags.Append("W ");
        }
        if ((u.Flags & NoSpace) != 0)
        {
            flags.Append("N ");
        }
        flags.Append(']');
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{"unix",-5} {u.RefCount,-6} {flags,-11} {type,-10} {state,-13} {u.Inode,-8}");
        if (view.Programs)
        {
            sb.Append(' ').Append(Program(u.Inode).PadRight(20));
        }
        return sb.Append(' ').Append(u.Path).ToString();
    }

    /// <summary>ADDR:PORT as addr_do_one makes it: cut to 22 characters (the port keeps up to 18) unless -W.</summary>
    private string Endpoint(IPAddress address, int port, string protocol)
    {
        var a = Address(address);
        var p = port == 0 ? "*" : view.Numeric ? port.ToString(CultureInfo.InvariantCulture) : names.Service(port, protocol);
        if (!view.Wide && a.Length + p.Length > 22)
        {
            var portLength = Math.Min(p.Length, 18);
            var addressLength = 22 - portLength;
            return a[..Math.Min(a.Length, addressLength)] + ":" + p[..portLength];
        }
        return a + ":" + p;
    }

    private string Address(IPAddress a)
    {
        if (a.AddressFamily == AddressFamily.InterNetwork)
        {
            if (view.Numeric || IsZero(a))
            {
                return a.ToString();
            }
            // INET_sprint resolves with netmask 255.255.255.0: a host name when the last byte is set, else a network name.
            return (a.GetAddressBytes()[3] != 0 ? names.Host(a) : names.Network(a)) ?? a.ToString();
        }
        string text;
        if (view.Numeric)
        {
            text = a.ToString();
        }
        else if (IsZero(a))
        {
            return "[::]";
        }
        else
        {
            text = names.Host(a) ?? a.ToString();
        }
        // fix_v4_address: a v4-mapped address prints as its IPv4 part.
        return a.IsIPv4MappedToIPv6 && text.Contains('.', StringComparison.Ordinal) ? text[(text.LastIndexOf(':') + 1)..] : text;
    }

    private static bool IsZero(IPAddress a) => a.Equals(IPAddress.Any) || a.Equals(IPAddress.IPv6Any);
}
