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
    private readonly Dictionary<string, PeerStatus> _last = new(StringComparer.Ordinal);
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
            _last.Remove(Convert.ToBase64String(gone));
        }
        foreach (var now in changed)
        {
            var key = Convert.ToBase64String(now.PublicKey);
            var peer = HostLogEvents.ShortKey(key);
            if (!_last.TryGetValue(key, out var before))
            {
                before = now with { HandshakesSent = 0, HandshakesReceived = 0, HandshakeResponsesReceived = 0, EndpointChanges = 0, Drops = new Dictionary<DropReason, long>(), State = PeerHealthState.Never };
            }
            _last[key] = now;
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
                    var grown = count - before.Drops.GetValueOrDefault(reason);
                    if (grown > 0 && reason is DropReason.SendFailed or DropReason.NoEndpoint or DropReason.QueueFull or DropReason.SourceNotAllowed)
                    {
                        HostLogEvents.PeerErrors(_log.Logger, name, peer, grown, DropCounters.Name(reason), (int)Period.TotalSeconds);
                    }
                }
            }
        }
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
