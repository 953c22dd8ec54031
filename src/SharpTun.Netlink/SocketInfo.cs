using System.Net;

namespace SharpTun.Netlink;

/// <summary>One socket as sock_diag reports it (what one line of <c>ss</c> shows).</summary>
public sealed record SocketInfo
{
    /// <summary>ss's Netid: tcp, udp, u_str, u_dgr, u_seq.</summary>
    public string NetId { get; init; } = "";
    /// <summary>State.</summary>
    public SocketState State { get; init; }
    /// <summary>Recv-Q: unread bytes; for a listener the accept queue length.</summary>
    public uint ReceiveQueue { get; init; }
    /// <summary>Send-Q: unsent/unacknowledged bytes; for a listener the backlog limit.</summary>
    public uint SendQueue { get; init; }
    /// <summary>Local address (inet sockets).</summary>
    public IPAddress? LocalAddress { get; init; }
    /// <summary>Local port (inet sockets).</summary>
    public int LocalPort { get; init; }
    /// <summary>Peer address (inet sockets).</summary>
    public IPAddress? PeerAddress { get; init; }
    /// <summary>Peer port (inet sockets; 0 = none).</summary>
    public int PeerPort { get; init; }
    /// <summary>For an IPv6 socket: IPV6_V6ONLY (INET_DIAG_SKV6ONLY). A dual-stack wildcard prints as '*'.</summary>
    public bool V6Only { get; init; }
    /// <summary>UNIX socket path; abstract names start with '@'; null when unnamed.</summary>
    public string? Path { get; init; }
    /// <summary>UNIX: the peer socket's inode (0 when none).</summary>
    public ulong PeerInode { get; init; }
    /// <summary>Socket inode (what /proc/PID/fd/N links to as socket:[inode]).</summary>
    public ulong Inode { get; init; }
    /// <summary>Owner uid (inet sockets).</summary>
    public uint Uid { get; init; }
    /// <summary>Processes holding the socket (filled by the caller that scans /proc; empty otherwise).</summary>
    public IReadOnlyList<SocketOwner> Owners { get; init; } = [];

    /// <summary>True for UNIX sockets.</summary>
    public bool IsUnix => NetId.StartsWith("u_", StringComparison.Ordinal);
}

/// <summary>A process holding a socket: pid, command name (comm) and the fd number.</summary>
public sealed record SocketOwner(int Pid, string Name, int Fd);
