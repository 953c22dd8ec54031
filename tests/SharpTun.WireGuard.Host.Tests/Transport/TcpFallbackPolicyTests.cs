using SharpTun.Testing.Fakes;

namespace SharpTun.WireGuard.Host.Tests.Transport;

/// <summary>The fallback state machine on a fake clock: when initiations switch transport, when UDP is probed, what a completed handshake does.</summary>
public sealed class TcpFallbackPolicyTests
{
    private readonly ManualTimeProvider _clock = new();
    private readonly FallbackSettings _settings = new();

    [Fact]
    public void ThreeUnansweredUdpInitiations_TheFourthGoesOverTcp()
    {
        var p = new TcpFallbackPolicy(_settings, _clock.TimestampFrequency);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(DatagramTransport.Udp, p.OnInitiation(Now()));
            _clock.Advance(TimeSpan.FromSeconds(5));
        }
        Assert.Equal(DatagramTransport.Tcp, p.OnInitiation(Now()));
        Assert.Equal(DatagramTransport.Tcp, p.Mode);
        Assert.Equal(1, p.Switches);
        Assert.Equal(1, p.Unanswered);
    }

    [Fact]
    public void AnsweredInitiations_NeverSwitch()
    {
        var p = new TcpFallbackPolicy(_settings, _clock.TimestampFrequency);
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(DatagramTransport.Udp, p.OnInitiation(Now()));
            p.OnHandshake(DatagramTransport.Udp, Now());
            _clock.Advance(TimeSpan.FromMinutes(2));
            Assert.False(p.ProbeDue(Now()));
        }
        Assert.Equal(0, p.Switches);
    }

    [Fact]
    public void OnTcp_ProbesUdpOncePerInterval_AndAUdpHandshakeSwitchesBack()
    {
        var p = OnTcp();
        Assert.False(p.ProbeDue(Now()));
        _clock.Advance(_settings.UdpProbeInterval - TimeSpan.FromSeconds(1));
        Assert.False(p.ProbeDue(Now()));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(p.ProbeDue(Now()));
        Assert.False(p.ProbeDue(Now()));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(p.ProbeDue(Now()));
        _clock.Advance(_settings.UdpProbeInterval);
        Assert.True(p.ProbeDue(Now()));

        // The probe went unanswered but the TCP retry completed: still on TCP, counters reset.
        p.OnHandshake(DatagramTransport.Tcp, Now());
        Assert.Equal(DatagramTransport.Tcp, p.Mode);
        Assert.Equal(0, p.Unanswered);

        // Next probe answered over UDP.
        _clock.Advance(_settings.UdpProbeInterval);
        Assert.True(p.ProbeDue(Now()));
        p.OnHandshake(DatagramTransport.Udp, Now());
        Assert.Equal(DatagramTransport.Udp, p.Mode);
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.False(p.ProbeDue(Now()));
        Assert.Equal(DatagramTransport.Udp, p.OnInitiation(Now()));
    }

    [Fact]
    public void TcpUnansweredToo_AlternatesBackToUdp()
    {
        var p = OnTcp();
        Assert.Equal(DatagramTransport.Tcp, p.OnInitiation(Now()));
        Assert.Equal(DatagramTransport.Tcp, p.OnInitiation(Now()));
        Assert.Equal(DatagramTransport.Udp, p.OnInitiation(Now()));
        Assert.Equal(2, p.Switches);
        Assert.False(p.ProbeDue(Now() + TimeSpan.FromHours(1).Ticks));
    }

    [Fact]
    public void SettingsFromEnvironment_DefaultsWhenUnset()
    {
        var s = FallbackSettings.FromEnvironment();
        if (Environment.GetEnvironmentVariable("SHARPTUN_WG_TCP_AFTER") is null)
        {
            Assert.Equal(3, s.UdpAttemptsBeforeTcp);
        }
        if (Environment.GetEnvironmentVariable("SHARPTUN_WG_UDP_PROBE_SECONDS") is null)
        {
            Assert.Equal(TimeSpan.FromMinutes(2), s.UdpProbeInterval);
        }
    }

    private TcpFallbackPolicy OnTcp()
    {
        var p = new TcpFallbackPolicy(_settings, _clock.TimestampFrequency);
        for (var i = 0; i < 4; i++)
        {
            p.OnInitiation(Now());
        }
        Assert.Equal(DatagramTransport.Tcp, p.Mode);
        return p;
    }

    private long Now() => _clock.GetTimestamp();
}
