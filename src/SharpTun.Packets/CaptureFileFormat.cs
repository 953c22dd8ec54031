namespace SharpTun.Packets;

/// <summary>The capture file formats <see cref="CaptureFileReader"/> tells apart by their first four bytes.</summary>
public enum CaptureFileFormat
{
    /// <summary>Classic libpcap (magic 0xa1b2c3d4 for microseconds or 0xa1b23c4d for nanoseconds, either byte order).</summary>
    Pcap,
    /// <summary>pcapng (a Section Header Block, type 0x0a0d0d0a), what tshark and dumpcap write by default.</summary>
    PcapNg,
}
