using System.Text;

namespace SharpTun.Tunnel;

/// <summary>
/// Relay counters. The per-direction packet/byte counters each have one writer thread (the
/// device reader, or the link receiver); drops and errors may come from any thread and use
/// interlocked adds. Readers see values that are at most a few packets old.
/// </summary>
public sealed class TunnelCounters
{
    private long _deviceToNetPackets;
    private long _deviceToNetBytes;
    private long _netToDevicePackets;
    private long _netToDeviceBytes;
    private long _dropNoPeer;
    private long _dropSendFailed;
    private long _dropRunt;
    private long _dropOversize;
    private long _deviceWriteErrors;
    private long _protocolErrors;
    private long _refusedPeers;
    private long _connections;
    private long _keepalivesSent;
    private long _keepalivesReceived;

    /// <summary>Packets read from the device and sent to the peer.</summary>
    public long DeviceToNetPackets => Volatile.Read(ref _deviceToNetPackets);

    /// <summary>Bytes of those packets (without framing).</summary>
    public long DeviceToNetBytes => Volatile.Read(ref _deviceToNetBytes);

    /// <summary>Packets received from the peer and written to the device.</summary>
    public long NetToDevicePackets => Volatile.Read(ref _netToDevicePackets);

    /// <summary>Bytes of those packets.</summary>
    public long NetToDeviceBytes => Volatile.Read(ref _netToDeviceBytes);

    /// <summary>Packets read from the device while no peer was connected (dropped).</summary>
    public long DropNoPeer => Volatile.Read(ref _dropNoPeer);

    /// <summary>Packets read from the device that could not be sent because the link broke (dropped).</summary>
    public long DropSendFailed => Volatile.Read(ref _dropSendFailed);

    /// <summary>Datagrams too short to be a packet (dropped).</summary>
    public long DropRunt => Volatile.Read(ref _dropRunt);

    /// <summary>Datagrams longer than the device carries (dropped).</summary>
    public long DropOversize => Volatile.Read(ref _dropOversize);

    /// <summary>Packets the device refused on write (dropped).</summary>
    public long DeviceWriteErrors => Volatile.Read(ref _deviceWriteErrors);

    /// <summary>Stream connections closed for a bad length prefix or a stream that ended mid-packet.</summary>
    public long ProtocolErrors => Volatile.Read(ref _protocolErrors);

    /// <summary>Connections refused because a peer was already connected.</summary>
    public long RefusedPeers => Volatile.Read(ref _refusedPeers);

    /// <summary>Links established (accepted or connected).</summary>
    public long Connections => Volatile.Read(ref _connections);

    /// <summary>Keepalive datagrams sent (UDP client).</summary>
    public long KeepalivesSent => Volatile.Read(ref _keepalivesSent);

    /// <summary>Keepalive datagrams received (UDP server).</summary>
    public long KeepalivesReceived => Volatile.Read(ref _keepalivesReceived);

    internal void AddDeviceToNet(int packets, long bytes)
    {
        Volatile.Write(ref _deviceToNetPackets, _deviceToNetPackets + packets);
        Volatile.Write(ref _deviceToNetBytes, _deviceToNetBytes + bytes);
    }

    internal void AddNetToDevice(int bytes)
    {
        Volatile.Write(ref _netToDevicePackets, _netToDevicePackets + 1);
        Volatile.Write(ref _netToDeviceBytes, _netToDeviceBytes + bytes);
    }

    internal void AddDropNoPeer(int packets) => Interlocked.Add(ref _dropNoPeer, packets);

    internal void AddDropSendFailed(int packets) => Interlocked.Add(ref _dropSendFailed, packets);

    internal void AddDropRunt() => Interlocked.Increment(ref _dropRunt);

    internal void AddDropOversize() => Interlocked.Increment(ref _dropOversize);

    internal void AddDeviceWriteError() => Interlocked.Increment(ref _deviceWriteErrors);

    internal void AddProtocolError() => Interlocked.Increment(ref _protocolErrors);

    internal void AddRefusedPeer() => Interlocked.Increment(ref _refusedPeers);

    internal void AddConnection() => Interlocked.Increment(ref _connections);

    internal void AddKeepaliveSent() => Interlocked.Increment(ref _keepalivesSent);

    internal void AddKeepaliveReceived() => Interlocked.Increment(ref _keepalivesReceived);

    /// <summary>A multi-line report: one line per direction, then drops and errors by reason.</summary>
    public string Format(string deviceName)
    {
        var sb = new StringBuilder();
        sb.Append($"{deviceName} -> peer: {DeviceToNetPackets} packets, {DeviceToNetBytes} bytes\n");
        sb.Append($"peer -> {deviceName}: {NetToDevicePackets} packets, {NetToDeviceBytes} bytes\n");
        sb.Append($"connections: {Connections}, refused: {RefusedPeers}, protocol errors: {ProtocolErrors}\n");
        sb.Append($"dropped: no peer {DropNoPeer}, send failed {DropSendFailed}, runt {DropRunt}, oversize {DropOversize}, device write errors {DeviceWriteErrors}\n");
        sb.Append($"keepalives: sent {KeepalivesSent}, received {KeepalivesReceived}");
        return sb.ToString();
    }
}
