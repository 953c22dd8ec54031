namespace SharpTun.Tunnel;

/// <summary>
/// The tunnel engine: packets from the device go to the peer, packets from the peer go to the device.
/// <code>
///  device ──read (+ drain queue)──▶ PacketBatch ──link.Send──▶ peer      thread "tun->net"
///  device ◀──────write one──────── Deliver ◀──link.Receive─── peer      caller's thread
/// </code>
/// The device-reading thread lives as long as the relay; links come and go (transport.Next).
/// While there is no link, packets read from the device are dropped and counted, so the device
/// and its addresses stay put across reconnects. Memory is fixed at start: one batch, one receive
/// buffer, one decoder; a stalled peer blocks link.Send (TCP backpressure), and the kernel's
/// device queue (txqueuelen) drops beyond that.
/// </summary>
public sealed class Relay : IPacketSink
{
    // How often the device reader checks for shutdown while the device is idle.
    private const int IdlePollMilliseconds = 200;

    private readonly IPacketDevice _device;
    private readonly ITransport _transport;
    private readonly TunnelCounters _counters;
    private readonly TunnelLog _log;
    private readonly PacketBatch _batch = new();
    private readonly PacketBatch _receiverBatch = new();
    private readonly Lock _deviceLock = new();
    private readonly string _devWord;
    private IPeerLink? _link;
    private volatile bool _stopping;
    private long _debugToNet;
    private long _debugToDevice;

    /// <summary>A relay between <paramref name="device"/> and the links of <paramref name="transport"/>.</summary>
    public Relay(IPacketDevice device, ITransport transport, TunnelCounters counters, TunnelLog log)
    {
        _device = device;
        _transport = transport;
        _counters = counters;
        _log = log;
        _devWord = device.IsEthernet ? "tap" : "tun";
    }

    /// <summary>Optional per-packet observer (e.g. a capture file); called on both relay threads, so it must be thread-safe.</summary>
    public Action<ReadOnlySpan<byte>, bool>? Observer { get; init; }

    /// <summary>The current peer, or null.</summary>
    public string? PeerName => Volatile.Read(ref _link)?.PeerName;

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled. Throws only for a failure of the device.</summary>
    public void Run(CancellationToken cancellationToken)
    {
        Exception? deviceFailure = null;
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = new Thread(() =>
        {
            try
            {
                DeviceToNet();
            }
            catch (Exception e)
            {
                deviceFailure = e;
                failed.Cancel();
            }
        })
        { IsBackground = true, Name = "tun->net" };
        reader.Start();
        try
        {
            while (!failed.IsCancellationRequested)
            {
                IPeerLink link;
                try
                {
                    link = _transport.Next(failed.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                if (link is TcpLink)
                {
                    _counters.AddConnection();
                    _log.Info($"peer {link.PeerName} connected");
                }
                Volatile.Write(ref _link, link);
                string reason;
                try
                {
                    reason = link.Receive(this, failed.Token);
                }
                finally
                {
                    Volatile.Write(ref _link, null);
                    link.Dispose();
                }
                if (!failed.IsCancellationRequested)
                {
                    _log.Info($"peer {link.PeerName} gone: {reason}");
                }
            }
        }
        finally
        {
            _stopping = true;
            reader.Join();
        }
        if (deviceFailure is not null)
        {
            throw deviceFailure;
        }
    }

    /// <summary>Writes one packet from the peer to the device.</summary>
    public void Deliver(ReadOnlySpan<byte> packet)
    {
        if (_log.Debug)
        {
            var n = ++_debugToDevice;
            _log.Info($"NET2TAP {n}: Read {packet.Length} bytes from the network");
        }
        var errno = _device.Write(packet);
        if (errno != 0)
        {
            _counters.AddDeviceWriteError();
            if (_log.Debug)
            {
                _log.Info($"NET2TAP {_debugToDevice}: the {_devWord} interface refused {packet.Length} bytes (errno {errno})");
            }
            return;
        }
        _counters.AddNetToDevice(packet.Length);
        Observer?.Invoke(packet, false);
        if (_log.Debug)
        {
            _log.Info($"NET2TAP {_debugToDevice}: Written {packet.Length} bytes to the {_devWord} interface");
        }
    }

    /// <summary>
    /// After writing a batch from the peer to the device, forward whatever the device has queued
    /// now (typically the kernel's immediate answers, e.g. an echo reply) from this thread, when
    /// the link's send never blocks. This saves a cross-thread wake-up per answer (lower RTT).
    /// Device reads happen only under <see cref="_deviceLock"/>, so packet order is kept.
    /// </summary>
    public void EndOfBatch()
    {
        var link = Volatile.Read(ref _link);
        if (link is null || !link.SendsWithoutBlocking || !_deviceLock.TryEnter())
        {
            return;
        }
        try
        {
            Forward(_receiverBatch);
        }
        finally
        {
            _deviceLock.Exit();
        }
    }

    private void DeviceToNet()
    {
        var idle = true;
        while (!_stopping)
        {
            // Under load, read straight away; wait in poll(2) only after the queue was found empty.
            if (idle && !_device.WaitReadable(IdlePollMilliseconds))
            {
                continue;
            }
            lock (_deviceLock)
            {
                idle = Forward(_batch) == 0;
            }
        }
    }

    // Reads every packet queued (up to a batch) and sends them with one link.Send; returns the count.
    private int Forward(PacketBatch batch)
    {
        batch.Clear();
        int n;
        while (batch.HasRoom && (n = _device.TryRead(batch.NextSlot)) > 0)
        {
            batch.Commit(n);
        }
        if (batch.Count == 0)
        {
            return 0;
        }
        if (_log.Debug)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                _log.Info($"TAP2NET {++_debugToNet}: Read {batch.Packet(i).Length} bytes from the {_devWord} interface");
            }
        }
        var link = Volatile.Read(ref _link);
        if (link is null || !link.CanSend)
        {
            _counters.AddDropNoPeer(batch.Count);
            return batch.Count;
        }
        try
        {
            link.Send(batch);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException or IOException)
        {
            _counters.AddDropSendFailed(batch.Count);
            // The receiving side sees the broken connection too and ends the link.
            link.Dispose();
            return batch.Count;
        }
        _counters.AddDeviceToNet(batch.Count, batch.Bytes);
        var observer = Observer;
        if (observer is not null)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                observer(batch.Packet(i), true);
            }
        }
        if (_log.Debug)
        {
            var first = _debugToNet - batch.Count;
            for (var i = 0; i < batch.Count; i++)
            {
                _log.Info($"TAP2NET {first + i + 1}: Written {batch.Packet(i).Length} bytes to the network");
            }
        }
        return batch.Count;
    }
}
