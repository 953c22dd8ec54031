namespace SharpTun.Packets;

/// <summary>
/// One packet of a capture file of either format: timestamp in nanoseconds since the Unix epoch
/// (<see cref="HasTimestamp"/> false, and 0, for a pcapng Simple Packet Block) and the decimal places its
/// resolution shows (6 for µs, 9 for ns), captured bytes, original length, the link type of the interface
/// it was captured on, and that interface's index (0 for pcap).
/// </summary>
public readonly record struct CaptureRecord(long UnixNanoseconds, int TimestampDigits, bool HasTimestamp, byte[] Data, int OriginalLength, LinkType LinkType, int InterfaceId);
