using SharpTun.Packets.Offload;

namespace SharpTun.Tunnel;

/// <summary>
/// A tunnel's counters. One thread writes them (the tunnel's event loop); any thread may read
/// them at any time and sees values at most one batch old.
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
    private long _dropForeign;
    private long _deviceWriteErrors;
    private long _protocolErrors;
    private long _refusedPeers;
    private long _connections;
    private long _timedOut;
    private long _keepalivesSent;
    private long _keepalivesReceived;
    private long _superPacketsSplit;
    private long _superPacketsWritten;
    private long _dropOffload;

    /// <summary>Packets read from the device and sent to the peer.</summary>
    public long DeviceToNetPackets => Volatile.Read(ref _deviceToNetPackets);

    /// <summary>Bytes of those packets (without framing).</summary>
    public long DeviceToNetBytes => Volatile.Read(ref _deviceToNetBytes);

    /// <summary>Packets received from the peer and written to the device.</summary>
    public long NetToDevicePackets => Volatile.Read(ref _netToDevicePackets);

    /// <summary>Bytes of those packets.</summary>
    public long NetToDeviceBytes => Volatile.Read(ref _netToDeviceBytes);

    /// <summary>Packets read from the device while there was no peer (dropped).</summary>
    public long DropNoPeer => Volatile.Read(ref _dropNoPeer);

    /// <summary>Packets read from the device that could not be sent: the link broke or the socket refused them (dropped).</summary>
    public long DropSendFailed => Volatile.Read(ref _dropSendFailed);

    /// <summary>Datagrams too short to be a packet (dropped).</summary>
    public long DropRunt => Volatile.Read(ref _dropRunt);

    /// <summary>Datagrams longer than the device carries, or not shaped like an IP packet / Ethernet frame (dropped).</summary>
    public long DropOversize => Volatile.Read(ref _dropOversize);

    /// <summary>Datagrams from a source that is not the peer and did not become it (dropped).</summary>
    public long DropForeign => Volatile.Read(ref _dropForeign);

    /// <summary>Packets the device refused on write (dropped).</summary>
    public long DeviceWriteErrors => Volatile.Read(ref _deviceWriteErrors);

    /// <summary>Stream connections closed for a bad length prefix or a stream that ended mid-packet.</summary>
    public long ProtocolErrors => Volatile.Read(ref _protocolErrors);

    /// <summary>Connections or datagram sources refused: not allowed, not the pinned peer, or the slot was taken.</summary>
    public long RefusedPeers => Volatile.Read(ref _refusedPeers);

    /// <summary>Peers established: TCP connections accepted or connected, UDP peers learned or moved.</summary>
    public long Connections => Volatile.Read(ref _connections);

    /// <summary>TCP connections closed by the server for silence (no first packet in time, or idle).</summary>
    public long TimedOut => Volatile.Read(ref _timedOut);

    /// <summary>Keepalive datagrams sent (UDP client).</summary>
    public long KeepalivesSent => Volatile.Read(ref _keepalivesSent);

    /// <summary>Keepalive datagrams received (UDP server).</summary>
    public long KeepalivesReceived => Volatile.Read(ref _keepalivesReceived);

    /// <summary>TSO/USO super-packets read from the device and split into wire-sized packets (device opened with offloads).</summary>
    public long SuperPacketsSplit => Volatile.Read(ref _superPacketsSplit);

    /// <summary>Super-packets written to the device, each several packets from the peer merged (device opened with offloads).</summary>
    public long SuperPacketsWritten => Volatile.Read(ref _superPacketsWritten);

    /// <summary>Reads from the device the offload path refused (a virtio-net header that does not describe its packet), dropped.</summary>
    public long DropOffload => Volatile.Read(ref _dropOffload);

    /// <summary>Those refused reads by cause (the same counter type WireGuard's offload statistics keep).</summary>
    public OffloadErrorCounters OffloadErrors { get; } = new();

    internal void AddSuperPacketsSplit(int superPackets) => Volatile.Write(ref _superPacketsSplit, _superPacketsSplit + superPackets);

    internal void AddSuperPacketsWritten(long superPackets) => Volatile.Write(ref _superPacketsWritten, _superPacketsWritten + superPackets);

    internal void AddDropOffload(int reads) => Volatile.Write(ref _dropOffload, _dropOffload + reads);

    internal void AddDeviceToNet(int packets, long bytes)
    {
        Volatile.Write(ref _deviceToNetPackets, _deviceToNetPackets + packets);
        Volatile.Write(ref _deviceToNetBytes, _deviceToNetBytes + bytes);
    }

    internal void AddNetToDevice(int packets, long bytes)
    {
        Volatile.Write(ref _netToDevicePackets, _netToDevicePackets + packets);
        Volatile.Write(ref _netToDeviceBytes, _netToDeviceBytes + bytes);
    }

    internal void AddDropNoPeer(int packets) => Volatile.Write(ref _dropNoPeer, _dropNoPeer + packets);

    internal void AddDropSendFailed(int packets) => Volatile.Write(ref _dropSendFailed, _dropSendFailed + packets);

    internal void AddDropRunt() => Volatile.Write(ref _dropRunt, _dropRunt + 1);

    internal void AddDropOversize() => Volatile.Write(ref _dropOversize, _dropOversize + 1);

    internal void AddDropForeign() => Volatile.Write(ref _dropForeign, _dropForeign + 1);

    internal void AddDeviceWriteErrors(int packets) => Volatile.Write(ref _deviceWriteErrors, _deviceWriteErrors + packets);

    internal void AddProtocolError() => Volatile.Write(ref _protocolErrors, _protocolErrors + 1);

    internal void AddRefusedPeer() => Volatile.Write(ref _refusedPeers, _refusedPeers + 1);

    internal void AddConnection() => Volatile.Write(ref _connections, _connections + 1);

    internal void AddTimedOut() => Volatile.Write(ref _timedOut, _timedOut + 1);

    internal void AddKeepaliveSent() => Volatile.Write(ref _keepalivesSent, _keepalivesSent + 1);

    internal void AddKeepaliveReceived() => Volatile.Write(ref _keepalivesReceived, _keepalivesReceived + 1);
}
