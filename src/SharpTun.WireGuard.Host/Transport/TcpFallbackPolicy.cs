namespace SharpTun.WireGuard.Host;

/// <summary>
/// Per peer with a TcpEndpoint: which transport its handshake initiations take. Pure; time in
/// <see cref="TimeProvider"/> timestamps passed in; called under the interface lock.
/// <code>
///            N UDP initiations unanswered
///   ┌─────┐ ───────────────────────────▶ ┌─────┐  every probe interval: one initiation over UDP
///   │ UDP │                              │ TCP │ ─────────────────────────────────────────────┐
///   └─────┘ ◀─────────────────────────── └─────┘ ◀─────────────────────────────────────────────┘
///      ▲    a handshake completes on UDP,     │   (its answer, when UDP works again, completes
///      │    or N TCP initiations unanswered   │    a handshake on UDP: back to UDP)
///      └──────────────────────────────────────┘
/// </code>
/// The mode follows where a handshake last completed: the responder side needs no policy (it
/// answers on the transport a message came on).
/// </summary>
internal sealed class TcpFallbackPolicy
{
    private readonly FallbackSettings _settings;
    private readonly long _frequency;
    private int _unanswered;
    private long _nextProbe = long.MaxValue;

    internal TcpFallbackPolicy(FallbackSettings settings, long timestampFrequency)
    {
        _settings = settings;
        _frequency = timestampFrequency;
    }

    /// <summary>The transport initiations take now.</summary>
    internal DatagramTransport Mode { get; private set; } = DatagramTransport.Udp;

    /// <summary>Initiations sent on <see cref="Mode"/> since the last completed handshake.</summary>
    internal int Unanswered => _unanswered;

    /// <summary>
    /// The timers are about to send an initiation: returns the transport it goes on, switching
    /// when the current one had its share of unanswered initiations.
    /// </summary>
    internal DatagramTransport OnInitiation(long now)
    {
        var limit = Mode == DatagramTransport.Udp ? _settings.UdpAttemptsBeforeTcp : _settings.TcpAttemptsBeforeUdp;
        if (_unanswered >= limit)
        {
            Switch(Mode == DatagramTransport.Udp ? DatagramTransport.Tcp : DatagramTransport.Udp, now);
        }
        _unanswered++;
        return Mode;
    }

    /// <summary>A handshake completed; <paramref name="transport"/> is where its last message came from.</summary>
    internal void OnHandshake(DatagramTransport transport, long now)
    {
        _unanswered = 0;
        if (transport != Mode)
        {
            Switch(transport, now);
        }
    }

    /// <summary>True (once per interval) when an initiation should go over UDP as a probe while on TCP.</summary>
    internal bool ProbeDue(long now)
    {
        if (Mode != DatagramTransport.Tcp || now < _nextProbe)
        {
            return false;
        }
        _nextProbe = now + Ticks(_settings.UdpProbeInterval);
        return true;
    }

    /// <summary>Count of switches, for logs and tests.</summary>
    internal int Switches { get; private set; }

    private void Switch(DatagramTransport to, long now)
    {
        Mode = to;
        _unanswered = 0;
        Switches++;
        _nextProbe = to == DatagramTransport.Tcp ? now + Ticks(_settings.UdpProbeInterval) : long.MaxValue;
    }

    private long Ticks(TimeSpan t) => (long)(t.TotalSeconds * _frequency);
}
