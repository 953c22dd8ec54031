namespace SharpTun.Netlink;

/// <summary>Socket states as sock_diag reports them (the kernel's TCP_* numbers, also used for UDP and UNIX sockets).</summary>
public enum SocketState : byte
{
    /// <summary>ESTAB.</summary>
    Established = 1,
    /// <summary>SYN-SENT.</summary>
    SynSent = 2,
    /// <summary>SYN-RECV.</summary>
    SynRecv = 3,
    /// <summary>FIN-WAIT-1.</summary>
    FinWait1 = 4,
    /// <summary>FIN-WAIT-2.</summary>
    FinWait2 = 5,
    /// <summary>TIME-WAIT.</summary>
    TimeWait = 6,
    /// <summary>UNCONN: closed, or an unconnected UDP/UNIX datagram socket.</summary>
    Close = 7,
    /// <summary>CLOSE-WAIT.</summary>
    CloseWait = 8,
    /// <summary>LAST-ACK.</summary>
    LastAck = 9,
    /// <summary>LISTEN.</summary>
    Listen = 10,
    /// <summary>CLOSING.</summary>
    Closing = 11,
    /// <summary>NEW-SYN-RECV (request sockets).</summary>
    NewSynRecv = 12,
}

/// <summary>ss's names for socket states, and its state filter words.</summary>
public static class SocketStates
{
    /// <summary>Every state.</summary>
    public const uint All = 0x1ffe;

    /// <summary>The state as ss prints it (ESTAB, LISTEN, UNCONN, TIME-WAIT, …).</summary>
    public static string Name(SocketState state) => state switch
    {
        SocketState.Established => "ESTAB",
        SocketState.SynSent => "SYN-SENT",
        SocketState.SynRecv or SocketState.NewSynRecv => "SYN-RECV",
        SocketState.FinWait1 => "FIN-WAIT-1",
        SocketState.FinWait2 => "FIN-WAIT-2",
        SocketState.TimeWait => "TIME-WAIT",
        SocketState.Close => "UNCONN",
        SocketState.CloseWait => "CLOSE-WAIT",
        SocketState.LastAck => "LAST-ACK",
        SocketState.Listen => "LISTEN",
        SocketState.Closing => "CLOSING",
        _ => "UNKNOWN",
    };

    /// <summary>Bit of one state in a state mask (1 &lt;&lt; state), as inet_diag_req_v2.idiag_states wants.</summary>
    public static uint Bit(SocketState state) => 1u << (int)state;

    /// <summary>
    /// Parses an ss state filter word into a mask: established, syn-sent, syn-recv, fin-wait-1, fin-wait-2,
    /// time-wait, closed, close-wait, last-ack, listening, closing, all, connected, synchronized, bucket, big.
    /// </summary>
    public static uint Parse(string word) => word switch
    {
        "established" => Bit(SocketState.Established),
        "syn-sent" => Bit(SocketState.SynSent),
        "syn-recv" => Bit(SocketState.SynRecv) | Bit(SocketState.NewSynRecv),
        "fin-wait-1" => Bit(SocketState.FinWait1),
        "fin-wait-2" => Bit(SocketState.FinWait2),
        "time-wait" => Bit(SocketState.TimeWait),
        "closed" or "unconnected" => Bit(SocketState.Close),
        "close-wait" => Bit(SocketState.CloseWait),
        "last-ack" => Bit(SocketState.LastAck),
        "listening" or "listen" => Bit(SocketState.Listen),
        "closing" => Bit(SocketState.Closing),
        "all" => All,
        "connected" => All & ~(Bit(SocketState.Listen) | Bit(SocketState.Close)),
        "synchronized" => All & ~(Bit(SocketState.Listen) | Bit(SocketState.Close) | Bit(SocketState.SynSent)),
        "bucket" => Bit(SocketState.SynRecv) | Bit(SocketState.TimeWait),
        "big" => All & ~(Bit(SocketState.SynRecv) | Bit(SocketState.TimeWait)),
        _ => throw new ArgumentException($"invalid socket state '{word}': use established, listening, closed, time-wait, connected, all, …"),
    };
}
