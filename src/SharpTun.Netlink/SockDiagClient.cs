using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace SharpTun.Netlink;

/// <summary>
/// Lists sockets over NETLINK_SOCK_DIAG the way <c>ss</c> does: one SOCK_DIAG_BY_FAMILY dump per
/// (family, protocol) with inet_diag_req_v2, and one with unix_diag_req for UNIX sockets. Lists the sockets of
/// the network namespace the netlink socket lives in. Owning processes are not known here (see
/// SharpTun.Linux SocketList, which scans /proc).
/// </summary>
public sealed class SockDiagClient : IDisposable
{
    private const ushort SOCK_DIAG_BY_FAMILY = 20;
    private const byte IPPROTO_TCP = 6;
    private const byte IPPROTO_UDP = 17;
    /// <summary>IPPROTO_RAW as sdiag_protocol selects raw_diag; as sdiag_raw_protocol (the pad byte) it means every protocol.</summary>
    private const byte IPPROTO_RAW = 255;
    /// <summary>sizeof(struct inet_diag_req_v2): family, protocol, ext, pad (u8 each), u32 states, inet_diag_sockid (48).</summary>
    private const int InetReqSize = 56;
    /// <summary>sizeof(struct inet_diag_msg): family, state, timer, retrans, sockid (48), expires, rqueue, wqueue, uid, inode (u32).</summary>
    private const int InetMsgSize = 72;
    /// <summary>sizeof(struct unix_diag_req): family, protocol (u8), pad (u16), states, ino, show, cookie[2] (u32).</summary>
    private const int UnixReqSize = 24;
    /// <summary>sizeof(struct unix_diag_msg): family, type, state, pad (u8), ino, cookie[2] (u32).</summary>
    private const int UnixMsgSize = 16;
    private const ushort INET_DIAG_SKV6ONLY = 11;
    private const uint UDIAG_SHOW_NAME = 0x01;
    private const uint UDIAG_SHOW_PEER = 0x04;
    private const uint UDIAG_SHOW_RQLEN = 0x10;
    private const ushort UNIX_DIAG_NAME = 0;
    private const ushort UNIX_DIAG_PEER = 2;
    private const ushort UNIX_DIAG_RQLEN = 4;

    private readonly NetlinkConnection _connection;

    /// <summary>Creates a client over a NETLINK_SOCK_DIAG socket; the client owns it.</summary>
    public SockDiagClient(INetlinkSocket socket) => _connection = new NetlinkConnection(socket);

    /// <summary>Lists the sockets <paramref name="query"/> selects. Equivalent to: <c>ss [-t] [-u] [-x] [-l|-a] [state S]</c>.</summary>
    public IReadOnlyList<SocketInfo> List(SocketQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var any = query.AnyProtocol;
        var states = query.StateMask;
        var result = new List<SocketInfo>();
        byte[] families = query.IPv4Only ? [Nl.AF_INET] : query.IPv6Only ? [Nl.AF_INET6] : [Nl.AF_INET, Nl.AF_INET6];
        if ((!any && !query.IPv4Only && !query.IPv6Only) || query.Unix)
        {
            result.AddRange(Unix(states));
        }
        // ss order: unix, raw, udp, tcp; IPv4 before IPv6.
        if (query.Raw)
        {
            foreach (var f in families)
            {
                result.AddRange(Inet(f, IPPROTO_RAW, states));
            }
        }
        if (!any || query.Udp)
        {
            foreach (var f in families)
            {
                result.AddRange(Inet(f, IPPROTO_UDP, states));
            }
        }
        if (!any || query.Tcp)
        {
            foreach (var f in families)
            {
                result.AddRange(Inet(f, IPPROTO_TCP, states));
            }
        }
        return result;
    }

    private IEnumerable<SocketInfo> Inet(byte family, byte protocol, uint states)
    {
        var req = new NetlinkMessageBuilder(SOCK_DIAG_BY_FAMILY, Nl.F_DUMP);
        var h = req.Reserve(InetReqSize);
        h[0] = family;
        h[1] = protocol;
        if (protocol == IPPROTO_RAW)
        {
            h[3] = IPPROTO_RAW;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(h[4..], states);
        var name = protocol switch { IPPROTO_TCP => "tcp", IPPROTO_UDP => "udp", _ => "raw" };
        var what = $"cannot list {name.ToUpperInvariant()}{(family == Nl.AF_INET ? "v4" : "v6")} sockets";
        return [.. _connection.Query(req, what).Where(m => m.Type == SOCK_DIAG_BY_FAMILY)
            .Select(m => ParseInet(m.Payload, name))];
    }

    internal static SocketInfo ParseInet(ReadOnlySpan<byte> body, string netId)
    {
        if (body.Length < InetMsgSize)
        {
            throw new NetlinkFormatException($"inet_diag_msg of {body.Length} bytes, needs {InetMsgSize}");
        }
        var v6 = body[0] == Nl.AF_INET6;
        var id = body[4..52];
        var info = new SocketInfo
        {
            NetId = netId,
            State = (SocketState)body[1],
            LocalPort = BinaryPrimitives.ReadUInt16BigEndian(id),
            PeerPort = BinaryPrimitives.ReadUInt16BigEndian(id[2..]),
            LocalAddress = new IPAddress(v6 ? id[4..20] : id[4..8]),
            PeerAddress = new IPAddress(v6 ? id[20..36] : id[20..24]),
            ReceiveQueue = BinaryPrimitives.ReadUInt32LittleEndian(body[56..]),
            SendQueue = BinaryPrimitives.ReadUInt32LittleEndian(body[60..]),
            Uid = BinaryPrimitives.ReadUInt32LittleEndian(body[64..]),
            Inode = BinaryPrimitives.ReadUInt32LittleEndian(body[68..]),
        };
        var a = new AttributeReader(body[InetMsgSize..]);
        while (a.Next())
        {
            if (a.Type == INET_DIAG_SKV6ONLY)
            {
                info = info with { V6Only = a.U8() != 0 };
            }
        }
        return info;
    }

    private IEnumerable<SocketInfo> Unix(uint states)
    {
        var req = new NetlinkMessageBuilder(SOCK_DIAG_BY_FAMILY, Nl.F_DUMP);
        var h = req.Reserve(UnixReqSize);
        h[0] = Nl.AF_UNIX;
        BinaryPrimitives.WriteUInt32LittleEndian(h[4..], states);
        BinaryPrimitives.WriteUInt32LittleEndian(h[12..], UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN);
        return [.. _connection.Query(req, "cannot list UNIX sockets").Where(m => m.Type == SOCK_DIAG_BY_FAMILY)
            .Select(m => ParseUnix(m.Payload))];
    }

    internal static SocketInfo ParseUnix(ReadOnlySpan<byte> body)
    {
        if (body.Length < UnixMsgSize)
        {
            throw new NetlinkFormatException($"unix_diag_msg of {body.Length} bytes, needs {UnixMsgSize}");
        }
        var info = new SocketInfo
        {
            NetId = body[1] switch { 1 => "u_str", 2 => "u_dgr", 5 => "u_seq", _ => "u_???" },
            State = (SocketState)body[2],
            Inode = BinaryPrimitives.ReadUInt32LittleEndian(body[4..]),
        };
        var a = new AttributeReader(body[UnixMsgSize..]);
        while (a.Next())
        {
            switch (a.Type)
            {
                case UNIX_DIAG_NAME:
                    // An abstract name starts with NUL; ss shows it as '@'.
                    var v = a.Value;
                    info = info with
                    {
                        Path = v.Length > 0 && v[0] == 0 ? "@" + Encoding.UTF8.GetString(v[1..]) : a.String(),
                    };
                    break;
                case UNIX_DIAG_PEER:
                    info = info with { PeerInode = a.U32() };
                    break;
                case UNIX_DIAG_RQLEN when a.Value.Length >= 8:
                    info = info with
                    {
                        ReceiveQueue = BinaryPrimitives.ReadUInt32LittleEndian(a.Value),
                        SendQueue = BinaryPrimitives.ReadUInt32LittleEndian(a.Value[4..]),
                    };
                    break;
            }
        }
        return info;
    }

    /// <summary>Closes the netlink socket.</summary>
    public void Dispose() => _connection.Dispose();
}
