namespace SharpTun.Netlink;

/// <summary>struct rtnl_link_stats64 (IFLA_STATS64): packet and byte counters of one link, in that kernel order.</summary>
public sealed record LinkStatistics
{
    /// <summary>Packets received.</summary>
    public ulong RxPackets { get; init; }
    /// <summary>Packets sent.</summary>
    public ulong TxPackets { get; init; }
    /// <summary>Bytes received.</summary>
    public ulong RxBytes { get; init; }
    /// <summary>Bytes sent.</summary>
    public ulong TxBytes { get; init; }
    /// <summary>Bad packets received.</summary>
    public ulong RxErrors { get; init; }
    /// <summary>Packet transmit problems.</summary>
    public ulong TxErrors { get; init; }
    /// <summary>Received packets dropped (no buffer space, …).</summary>
    public ulong RxDropped { get; init; }
    /// <summary>Transmit packets dropped.</summary>
    public ulong TxDropped { get; init; }
    /// <summary>Multicast packets received.</summary>
    public ulong Multicast { get; init; }
    /// <summary>Collisions.</summary>
    public ulong Collisions { get; init; }
    /// <summary>Receive length errors.</summary>
    public ulong RxLengthErrors { get; init; }
    /// <summary>Receiver ring overruns.</summary>
    public ulong RxOverErrors { get; init; }
    /// <summary>Receive CRC errors.</summary>
    public ulong RxCrcErrors { get; init; }
    /// <summary>Receive frame alignment errors.</summary>
    public ulong RxFrameErrors { get; init; }
    /// <summary>Receive FIFO overruns.</summary>
    public ulong RxFifoErrors { get; init; }
    /// <summary>Receiver missed packets.</summary>
    public ulong RxMissedErrors { get; init; }
    /// <summary>Transmit aborted.</summary>
    public ulong TxAbortedErrors { get; init; }
    /// <summary>Transmit carrier errors.</summary>
    public ulong TxCarrierErrors { get; init; }
    /// <summary>Transmit FIFO errors.</summary>
    public ulong TxFifoErrors { get; init; }
    /// <summary>Transmit heartbeat errors.</summary>
    public ulong TxHeartbeatErrors { get; init; }
    /// <summary>Transmit window errors.</summary>
    public ulong TxWindowErrors { get; init; }
    /// <summary>Compressed packets received.</summary>
    public ulong RxCompressed { get; init; }
    /// <summary>Compressed packets sent.</summary>
    public ulong TxCompressed { get; init; }
    /// <summary>Packets dropped because no protocol handled them.</summary>
    public ulong RxNoHandler { get; init; }

    /// <summary>Decodes the u64 array; older kernels send fewer fields (the missing ones are 0).</summary>
    internal static LinkStatistics Parse(ReadOnlySpan<byte> v)
    {
        if (v.Length < 8 * 4)
        {
            throw new NetlinkFormatException($"IFLA_STATS64 of {v.Length} bytes");
        }
        var f = new ulong[24];
        for (var i = 0; i < f.Length && (i + 1) * 8 <= v.Length; i++)
        {
            f[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(v[(i * 8)..]);
        }
        ulong F(int i) => f[i];
        return new LinkStatistics
        {
            RxPackets = F(0), TxPackets = F(1), RxBytes = F(2), TxBytes = F(3), RxErrors = F(4), TxErrors = F(5),
            RxDropped = F(6), TxDropped = F(7), Multicast = F(8), Collisions = F(9), RxLengthErrors = F(10),
            RxOverErrors = F(11), RxCrcErrors = F(12), RxFrameErrors = F(13), RxFifoErrors = F(14), RxMissedErrors = F(15),
            TxAbortedErrors = F(16), TxCarrierErrors = F(17), TxFifoErrors = F(18), TxHeartbeatErrors = F(19),
            TxWindowErrors = F(20), RxCompressed = F(21), TxCompressed = F(22), RxNoHandler = F(23),
        };
    }
}
