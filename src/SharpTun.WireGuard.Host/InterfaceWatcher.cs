namespace SharpTun.WireGuard.Host;

/// <summary>
/// Turns the counters of one interface into log events, once per <see cref="Period"/> (its own thread,
/// nothing in the data path): one event per completed handshake and per endpoint change (roam), a
/// warning per peer and drop reason that grew (send failures, …), and a line per health-state change.
/// It subscribes to the changes the interface notes where they happen
/// (<see cref="WireGuardInterface.TakeChanges"/>): a round costs O(peers that changed), so an idle
/// interface with 100,000 idle peers costs nothing. <see cref="Poll"/> is the whole work (tests call it
/// with a fake clock).
/// </summary>
internal sealed class InterfaceWatcher : IDisposable
{
    /// <summary>How often the counters are compared.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private readonly WireGuardInterface _interface;
    private readonly HostLog _log;
    // What the last round saw of each peer, in the few numbers the events compare; a peer that never did anything
    // (the initial Seen) has no entry, so 100,000 configured idle peers cost the watcher nothing (issue 20).
    private readonly Dictionary<(UInt128, UInt128), Seen> _last = [];
    private readonly ManualResetEventSlim _stop = new();
    private Thread? _thread;

    /// <summary>A watcher of <paramref name="wgInterface"/> writing to <paramref name="log"/>; nothing runs until <see cref="Start"/>.</summary>
    public InterfaceWatcher(WireGuardInterface wgInterface, HostLog log)
    {
        ArgumentNullException.ThrowIfNull(wgInterface);
        ArgumentNullException.ThrowIfNull(log);
        _interface = wgInterface;
        _log = log;
    }

    /// <summary>Starts the polling thread.</summary>
    public void Start()
    {
        Poll();
        _thread = new Thread(() =>
        {
            while (!_stop.Wait(Period))
            {
                Poll();
            }
        }) { IsBackground = true, Name = $"wg {_interface.Name} watch" };
        _thread.Start();
    }

    /// <summary>Compares every peer that changed with its previous snapshot and logs what changed.</summary>
    public void Poll()
    {
        var name = _interface.Name;
        var (changed, removed) = _interface.TakeChanges();
        foreach (var gone in removed)
        {
            _last.Remove(Key(gone));
        }
        foreach (var now in changed)
        {
            var id = Key(now.PublicKey);
            var before = _last.GetValueOrDefault(id, Seen.Initial);
            var seen = Seen.Of(now);
            if (seen == Seen.Initial)
            {
                _last.Remove(id);
                continue; // nothing happened to it yet (a peer just configured): nothing to log either
            }
            _last[id] = seen;
            var peer = HostLogEvents.ShortKey(Convert.ToBase64String(now.PublicKey));
            if (now.HandshakesSent > before.HandshakesSent && _log.IsEnabled(HostLogLevel.Debug))
            {
                HostLogEvents.HandshakeSent(_log.Logger, name, peer, now.HandshakesSent - before.HandshakesSent);
            }
            if (_log.IsEnabled(HostLogLevel.Info))
            {
                var endpoint = now.Endpoint?.ToString() ?? "(none)";
                var responses = now.HandshakeResponsesReceived - before.HandshakeResponsesReceived;
                var initiations = now.HandshakesReceived - before.HandshakesReceived - responses;
                for (var i = 0; i < responses; i++)
                {
                    HostLogEvents.HandshakeCompleted(_log.Logger, name, peer, "we initiated", endpoint);
                }
                for (var i = 0; i < initiations; i++)
                {
                    HostLogEvents.HandshakeCompleted(_log.Logger, name, peer, "peer initiated", endpoint);
                }
                var fresh = (int)Math.Min(now.EndpointChanges - before.EndpointChanges, now.EndpointHistory.Count);
                foreach (var change in now.EndpointHistory.Skip(now.EndpointHistory.Count - fresh))
                {
                    HostLogEvents.EndpointChanged(_log.Logger, name, peer, change.From.IsSet ? change.From.ToString() : "(none)", change.To.ToString(), change.Cause);
                }
            }
            if (now.State != before.State && (now.State != PeerHealthState.Handshaking || before.State != PeerHealthState.Never))
            {
                var level = now.State == PeerHealthState.Stale ? Microsoft.Extensions.Logging.LogLevel.Warning : Microsoft.Extensions.Logging.LogLevel.Information;
                if (_log.IsEnabled(level))
                {
                    HostLogEvents.StateChanged(_log.Logger, level, name, peer, PeerHealth.Name(before.State), PeerHealth.Name(now.State));
                }
            }
            if (_log.IsEnabled(HostLogLevel.Warning))
            {
                foreach (var (reason, count) in now.Drops)
                {
                    var grown = count - before.Drops(reason);
                    if (grown > 0 && reason is DropReason.SendFailed or DropReason.NoEndpoint or DropReason.QueueFull or DropReason.SourceNotAllowed)
                    {
                        HostLogEvents.PeerErrors(_log.Logger, name, peer, grown, DropCounters.Name(reason), (int)Period.TotalSeconds);
                    }
                }
            }
        }
    }

    private static (UInt128, UInt128) Key(byte[] publicKey) =>
        (System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(publicKey), System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(publicKey.AsSpan(16)));

    /// <summary>The numbers of a <see cref="PeerStatus"/> a round compares with the next (the drop reasons it warns about).</summary>
    private readonly record struct Seen(long HandshakesSent, long HandshakesReceived, long HandshakeResponsesReceived, long EndpointChanges,
        PeerHealthState State, long SendFailed, long NoEndpoint, long QueueFull, long SourceNotAllowed)
    {
        internal static readonly Seen Initial = new(0, 0, 0, 0, PeerHealthState.Never, 0, 0, 0, 0);

        internal static Seen Of(PeerStatus s) => new(s.HandshakesSent, s.HandshakesReceived, s.HandshakeResponsesReceived, s.EndpointChanges, s.State,
            s.Drops.GetValueOrDefault(DropReason.SendFailed), s.Drops.GetValueOrDefault(DropReason.NoEndpoint),
            s.Drops.GetValueOrDefault(DropReason.QueueFull), s.Drops.GetValueOrDefault(DropReason.SourceNotAllowed));

        internal long Drops(DropReason reason) => reason switch
        {
            DropReason.SendFailed => SendFailed,
            DropReason.NoEndpoint => NoEndpoint,
            DropReason.QueueFull => QueueFull,
            DropReason.SourceNotAllowed => SourceNotAllowed,
            _ => 0,
        };
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _stop.Set();
        if (_thread is not null && _thread != Thread.CurrentThread)
        {
            _thread.Join();
        }
        _stop.Dispose();
    }
}
