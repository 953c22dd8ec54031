namespace SharpTun.WireGuard.Host;

public sealed partial class WireGuardInterface
{
    /// <summary>Starts a resolution when due (on a timer, or sooner while handshakes fail) and applies a finished one.</summary>
    private void ResolveTick(PeerTransport t, PeerState state, IDatagramBind bind, long now)
    {
        if (!t.HasHostName)
        {
            return;
        }
        if (t.Resolving is { IsCompleted: true } done)
        {
            t.Resolving = null;
            ApplyResolution(t, state, bind, done.Result);
        }
        if (t.Resolving is not null)
        {
            return;
        }
        var sinceLast = _time.GetElapsedTime(t.LastResolve, now);
        var failing = t.FailingSince != long.MinValue && _time.GetElapsedTime(t.FailingSince, now) >= _fallbackSettings.ResolveWhenFailingFor;
        if (sinceLast >= _fallbackSettings.ResolveInterval || (failing && sinceLast >= _fallbackSettings.ResolveWhenFailingFor))
        {
            t.LastResolve = now;
            var (udpText, tcpText, what) = (t.EndpointText, t.TcpEndpointText, $"peer {state.Peer}");
            if (failing && _log.IsEnabled(HostLogLevel.Debug))
            {
                _log.Debug(Name, $"{what}: handshakes failing for {_time.GetElapsedTime(t.FailingSince, now).TotalSeconds:0} s; resolving its endpoint again");
            }
            t.Resolving = Task.Run(() => Resolve(udpText, tcpText, what));
        }
    }

    private static ResolvedEndpoints Resolve(string? udpText, string? tcpText, string what)
    {
        NetEndpoint udp = default, tcp = default;
        string? error = null;
        try
        {
            if (udpText is not null)
            {
                udp = EndpointResolver.Resolve(udpText, $"{what}: Endpoint");
            }
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            error = e.Message;
        }
        try
        {
            if (tcpText is not null)
            {
                tcp = EndpointResolver.Resolve(tcpText, $"{what}: TcpEndpoint");
            }
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            error = error is null ? e.Message : error + "; " + e.Message;
        }
        return new ResolvedEndpoints(udp, tcp, error);
    }

    /// <summary>A changed address is used at once: for the transport the peer is on now, and for the next switch.</summary>
    private void ApplyResolution(PeerTransport t, PeerState state, IDatagramBind bind, ResolvedEndpoints r)
    {
        var peer = state.Peer;
        if (r.Error != t.LastResolveError && r.Error is not null)
        {
            _log.Info(Name, $"{r.Error}; keeping {state.Endpoint}");
        }
        t.LastResolveError = r.Error;
        var moved = false;
        if (r.Udp.IsSet && r.Udp != t.UdpTarget)
        {
            _log.Info(Name, $"peer {peer}: Endpoint {t.EndpointText} now resolves to {r.Udp} (was {t.UdpTarget}); using it");
            t.UdpTarget = r.Udp;
            if (state.Transport == DatagramTransport.Udp)
            {
                state.SetEndpoint(new DatagramEndpoint(r.Udp), "resolve");
                moved = true;
            }
        }
        if (r.Tcp.IsSet && r.Tcp != t.TcpTarget)
        {
            _log.Info(Name, $"peer {peer}: TcpEndpoint {t.TcpEndpointText} now resolves to {r.Tcp} (was {t.TcpTarget}); using it");
            var fallback = bind.StreamFallback;
            fallback?.RemoveDialTarget(t.TcpTarget);
            t.TcpTarget = r.Tcp;
            fallback?.AddDialTarget(r.Tcp);
            if (state.Transport == DatagramTransport.Tcp && t.Policy is not null)
            {
                state.SetEndpoint(new DatagramEndpoint(r.Tcp, DatagramTransport.Tcp), "resolve");
                moved = true;
            }
        }
        if (moved && t.FailingSince != long.MinValue)
        {
            // Handshakes were failing: try the new address now rather than at the next retry.
            var h = _device.InitiateHandshake(peer, _timerScratch, force: true);
            if (h.Action == WireGuardAction.WriteToNetwork)
            {
                SendFromScratch(_timerScratch, h.Length, h.Destination, state, bind, _timerOne);
            }
        }
    }
}
