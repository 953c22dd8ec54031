using SharpTun.Packets;

namespace SharpTun.Tunnel;

/// <summary>
/// Writes the packets a relay carries, both directions, to a pcap file (LINKTYPE_RAW for tun,
/// LINKTYPE_ETHERNET for tap). The relay loop writes; a lock lets another thread read the count.
/// </summary>
internal sealed class PacketCapture : IDisposable
{
    private readonly PcapWriter _writer;
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;

    /// <summary>Creates (truncates) <paramref name="path"/>.</summary>
    public PacketCapture(string path, bool ethernet, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        Stream stream;
        try
        {
            stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot create capture file '{path}': {e.Message}", e);
        }
        _writer = new PcapWriter(stream, ethernet ? LinkType.Ethernet : LinkType.Raw);
    }

    /// <summary>Packets written.</summary>
    public long Count
    {
        get
        {
            lock (_lock)
            {
                return _writer.Count;
            }
        }
    }

    /// <summary>Appends one packet (the direction is not recorded in classic pcap).</summary>
    public void Write(ReadOnlySpan<byte> packet, bool toPeer)
    {
        _ = toPeer;
        lock (_lock)
        {
            _writer.Write(packet, _time.GetUtcNow());
        }
    }

    /// <summary>Flushes buffered records to the file.</summary>
    public void Flush()
    {
        lock (_lock)
        {
            _writer.Flush();
        }
    }

    /// <summary>Flushes and closes the file.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _writer.Dispose();
        }
    }
}
