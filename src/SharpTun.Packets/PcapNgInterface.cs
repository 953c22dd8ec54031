namespace SharpTun.Packets;

/// <summary>
/// One interface of a pcapng section (Interface Description Block): its link type, snapshot length
/// (0 = no limit), timestamp units per second (if_tsresol; 1 000 000 when absent) and the seconds added
/// to every timestamp (if_tsoffset; 0 when absent).
/// </summary>
public readonly record struct PcapNgInterface(LinkType LinkType, int SnapLength, ulong TicksPerSecond, long OffsetSeconds)
{
    /// <summary>
    /// Decimal places of the resolution as tshark shows this interface's times: the most whose unit is not
    /// finer than a tick (6 for microseconds, 9 for nanoseconds, 3 for 2^-10 s, 0 for 2^-3 s; at most 9).
    /// </summary>
    public int TimestampDigits
    {
        get
        {
            var digits = 0;
            for (var scale = 10UL; scale <= TicksPerSecond && digits < 9; scale *= 10)
            {
                digits++;
            }
            return digits;
        }
    }
}
