namespace SharpTun.Packets;

/// <summary>
/// One interface of a pcapng section (Interface Description Block): its link type, snapshot length
/// (0 = no limit), timestamp units per second (if_tsresol; 1 000 000 when absent) and the seconds added
/// to every timestamp (if_tsoffset; 0 when absent).
/// </summary>
public readonly record struct PcapNgInterface(LinkType LinkType, int SnapLength, ulong TicksPerSecond, long OffsetSeconds);
