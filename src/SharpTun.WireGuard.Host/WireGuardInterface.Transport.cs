namespace SharpTun.WireGuard.Host;

public sealed partial class WireGuardInterface
{
    private readonly Dictionary<WireGuardPeer, PeerTransport> _transports = new(ReferenceEqualityComparer.Instance);
    private FallbackSettings _fallbackSettings = new();
    private bool _transportsEnabled;
    private int _tunnelMtu = NetworkSetup.DefaultMtu;

    /// <summary>
    /// Turns on the host's transport care for every peer: TCP fallback for peers given a TcpEndpoint
    /// (<see cref="SetPeerTransport"/>), re-resolution of host-name endpoints, path-MTU checks against
    /// <paramref name="tunnelMtu"/>. Without this call the interface is plain WireGuard over its bind.
    /// </summary>
    public void ConfigureTransports(FallbackSettings settings, int tunnelMtu)
    {
        ArgumentNullException.ThrowIfNull(settings);
        lock (_gate)
        {
            _fallbackSettings = settings;
            _tunnelMtu = tunnelMtu;
            _transportsEnabled = true;
        }
    }

    /// <summary>
    /// Records how a peer was configured: its Endpoint and TcpEndpoint as written (host names are
    /// resolved again later) and the TCP fallback target (null = none: the peer never falls back from
    /// here, but may still reach us over TCP). Call after <see cref="SetPeer"/>. A peer with none of the three gets
    /// no record here: the timers make one once it has an endpoint (issue 20: 100,000 idle peers without an endpoint
    /// kept 28 MB of records with nothing in them).
    /// </summary>
    public void SetPeerTransport(byte[] publicKey, string? endpointText, string? tcpEndpointText, NetEndpoint? tcpTarget)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        lock (_gate)
        {
            if (_device.FindPeer(publicKey) is not { } peer
                || (endpointText is null && tcpEndpointText is null && tcpTarget is null && !_transports.ContainsKey(peer)))
            {
                return;
            }
            var policy = tcpTarget is not null ? new TcpFallbackPolicy(_fallbackSettings, _time.TimestampFrequency) : null;
            _transports[peer] = new PeerTransport(endpointText, tcpEndpointText, peer.Endpoint, tcpTarget ?? default, policy)
            {
                LastResolve = _time.GetTimestamp(),
            };
        }
    }

    /// <summary>The transport a peer uses now and its path MTU (0 = unknown), for status output.</summary>
    internal (DatagramTransport Transport, int PathMtu) TransportOf(WireGuardPeer peer)
    {
        lock (_gate)
        {
            var s = State(peer);
            return (s.Transport, s.PathMtu);
        }
    }

    /// <summary>
    /// Where something the timers send for <paramref name="state"/> goes (under the lock). A handshake
    /// initiation of a peer with a TCP fallback is where the policy switches transports.
    /// </summary>
    private DatagramEndpoint TimerDestination(PeerState state, in WireGuardResult r, ReadOnlySpan<byte> message, long now)
    {
        if (!_transportsEnabled || !IsInitiation(message) || !_transports.TryGetValue(state.Peer, out var t))
        {
            return r.Destination;
        }
        if (t.FailingSince == long.MinValue)
        {
            t.FailingSince = now;
        }
        if (t.Policy is not { } policy || !t.TcpTarget.IsSet)
        {
            return r.Destination;
        }
        var before = policy.Mode;
        var mode = policy.OnInitiation(now);
        if (mode != before)
        {
            var target = mode == DatagramTransport.Tcp ? t.TcpTarget : t.UdpTarget;
            if (target.IsSet)
            {
                state.SetEndpoint(new DatagramEndpoint(target, mode), null); // recorded as "tcp"/"udp"
                _log.Info(Name, mode == DatagramTransport.Tcp
                    ? $"peer {state.Peer}: {_fallbackSettings.UdpAttemptsBeforeTcp} handshakes over UDP unanswered; falling back to TCP {target}"
                    : $"peer {state.Peer}: {_fallbackSettings.TcpAttemptsBeforeUdp} handshakes over TCP unanswered; trying UDP {target} again");
            }
        }
        return mode == DatagramTransport.Tcp ? new DatagramEndpoint(t.TcpTarget, DatagramTransport.Tcp) : state.Endpoint;
    }

    private static bool IsInitiation(ReadOnlySpan<byte> message) =>
        message.Length == WireGuardConstants.InitiationSize && message[0] == 1;

    /// <summary>Once per peer per timer tick (under the lock): handshake progress, UDP probes, re-resolution, path MTU.</summary>
    private void TransportTick(PeerState state, IDatagramBind bind, long now)
    {
        if (!_transportsEnabled)
        {
            return;
        }
        var peer = state.Peer;
        if (!_transports.TryGetValue(peer, out var t))
        {
            if (!state.Endpoint.Remote.IsSet)
            {
                return; // no endpoint, no TCP target, no host name: nothing to fall back, resolve or measure yet
            }
            t = new PeerTransport(null, null, peer.Endpoint, default, null) { LastResolve = now };
            _transports.Add(peer, t);
        }
        var handshake = peer.LastHandshake;
        if (handshake != t.LastHandshakeSeen)
        {
            t.LastHandshakeSeen = handshake;
            if (handshake is not null)
            {
                t.FailingSince = long.MinValue;
                if (t.Policy is { } p)
                {
                    var before = p.Mode;
                    p.OnHandshake(state.Transport, now);
                    if (p.Mode != before)
                    {
                        _log.Info(Name, $"peer {peer}: handshake completed over {Word(p.Mode)} ({state.Endpoint.Remote}); using {Word(p.Mode)}");
                    }
                }
            }
        }
        if (t.Policy is { } policy && t.TcpTarget.IsSet)
        {
            bind.StreamFallback?.AddDialTarget(t.TcpTarget);
            if (policy.ProbeDue(now) && t.UdpTarget.IsSet)
            {
                // One initiation over UDP: its answer, if UDP works again, completes a handshake on UDP.
                var r = _device.InitiateHandshake(peer, _timerScratch, force: true);
                if (r.Action == WireGuardAction.WriteToNetwork)
                {
                    _log.Debug(Name, $"peer {peer}: on TCP; probing UDP {t.UdpTarget} with a handshake");
                    SendFromScratch(_timerScratch, r.Length, new DatagramEndpoint(t.UdpTarget), state, bind, _timerOne);
                }
            }
        }
        if (state.Transport == DatagramTransport.Tcp)
        {
            // The net pump moved the endpoint to this connection on an authenticated message: trust it fully.
            bind.StreamFallback?.Confirm(state.Endpoint.Remote);
        }
        ResolveTick(t, state, bind, now);
        MtuTick(t, state, now);
    }

    private static string Word(DatagramTransport transport) => transport == DatagramTransport.Tcp ? "TCP" : "UDP";
}
