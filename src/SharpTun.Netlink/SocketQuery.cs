namespace SharpTun.Netlink;

/// <summary>
/// Which sockets to list, as ss's options choose them: <c>-t -u -x</c> (none = tcp, udp and unix… like ss: all
/// but raw), <c>-4 -6</c>, <c>-l</c> (listening only), <c>-a</c> (all states), or an explicit state mask
/// (<c>state established</c>). Without -l/-a/state, ss shows connected sockets only.
/// </summary>
public sealed record SocketQuery
{
    /// <summary>TCP sockets (-t).</summary>
    public bool Tcp { get; init; }
    /// <summary>UDP sockets (-u).</summary>
    public bool Udp { get; init; }
    /// <summary>UNIX sockets (-x).</summary>
    public bool Unix { get; init; }
    /// <summary>Raw IP sockets (ss -w, netstat -w), listed only when asked for; their "port" is the IP protocol number.</summary>
    public bool Raw { get; init; }
    /// <summary>IPv4 only (-4).</summary>
    public bool IPv4Only { get; init; }
    /// <summary>IPv6 only (-6).</summary>
    public bool IPv6Only { get; init; }
    /// <summary>Listening sockets only (-l): LISTEN, and UNCONN for datagram sockets.</summary>
    public bool Listening { get; init; }
    /// <summary>All states (-a).</summary>
    public bool All { get; init; }
    /// <summary>An explicit state mask (<see cref="SocketStates.Parse"/>), overriding -l/-a.</summary>
    public uint? States { get; init; }

    /// <summary>The state mask this query selects.</summary>
    public uint StateMask => States
        ?? (All ? SocketStates.All
            : Listening ? SocketStates.Bit(SocketState.Listen) | SocketStates.Bit(SocketState.Close)
            : SocketStates.All & ~(SocketStates.Bit(SocketState.Listen) | SocketStates.Bit(SocketState.Close)
                | SocketStates.Bit(SocketState.TimeWait) | SocketStates.Bit(SocketState.SynRecv)));

    internal bool AnyProtocol => Tcp || Udp || Unix || Raw;
}
