namespace SharpTun.Packets;

/// <summary>
/// One packet of a pcapng file: the interface it was captured on (index in its section) and that
/// interface's link type, the timestamp in nanoseconds since the Unix epoch (finer resolutions are cut
/// to nanoseconds; a Simple Packet Block has none: <see cref="HasTimestamp"/> is false and the time is 0), the captured bytes, the original length,
/// and the offset of its block in the file (for messages).
/// </summary>
public readonly record struct PcapNgPacket(int InterfaceId, LinkType LinkType, long UnixNanoseconds, bool HasTimestamp, byte[] Data,
    int OriginalLength, long BlockOffset);
