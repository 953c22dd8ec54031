using SharpTun.WireGuard.Host.Tests.Scenarios;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// The roaming scenario's peers as users run them: A a SharpTun server daemon (<c>sharptun wg up</c>) on lab
/// host 1, B a client daemon on host 2, SharpTun or upstream wireguard-go (then only the server is judged).
/// The judges are <c>wg show</c>'s endpoint, the tun's rx counter, the server's drop counters
/// (<c>wg show --json</c>) and a capture of what reaches the server's wire.
/// </summary>
internal sealed class LiveRoamingPair : IRoamingPair, IDisposable
{
    private readonly WireLab _lab;
    private readonly LabHost _hs;
    private readonly LabHost _hc;
    private readonly SharpTunWg _server;
    private readonly WgNode _client;
    private readonly WgKey _clientKey;
    private readonly Capture _capture;
    private List<byte[]>? _captured;

    internal LiveRoamingPair(bool sharpTunClient)
    {
        _lab = WireLab.Create(2);
        try
        {
            _hs = _lab.Hosts[0];
            _hc = _lab.Hosts[1];
            var ks = WgKey.Generate();
            _clientKey = WgKey.Generate();
            _server = SharpTunWg.Start(_hs, Pairs.Config(_hs, ks, _hc, _clientKey, withEndpoint: false));
            _capture = _hs.Own(new Capture(_hs, WireLab.WireDevice, 100_000, $"udp and dst host {_hs.OuterV4} and dst port {Pairs.Port}"));
            var cc = Pairs.Config(_hc, _clientKey, _hs, ks);
            _client = sharpTunClient ? SharpTunWg.Start(_hc, cc) : WireGuardGo.Start(_hc, cc, WireGuardGo.Upstream);
            Description = $"SharpTun server, {(sharpTunClient ? "SharpTun" : "upstream wireguard-go")} client, daemons in {_hs.Name} and {_hc.Name}";
        }
        catch
        {
            _lab.Dispose();
            throw;
        }
    }

    public string Description { get; }

    public string EndpointOfBOnA => _server.Dump().Peer(_clientKey.Public).Endpoint;

    public long DeliveredToA => _server.DeliveredPackets();

    public long WireDropsAtA
    {
        get
        {
            var drops = _server.Show().Root.GetProperty("drops");
            return drops.EnumerateObject().Where(d => d.Name != "no_route").Sum(d => d.Value.GetInt64());
        }
    }

    // A ping, one packet each way: the first from the client (the server has no endpoint before a
    // handshake), later ones from the server (it reaches the client where it roamed to).
    public void Exchange(ushort sequence)
    {
        if (sequence == 1)
        {
            Traffic.Ping(_hc, _hs.InnerV4, count: 1);
        }
        else
        {
            Traffic.Ping(_hs, _hc.InnerV4, count: 1);
        }
    }

    public void SendFromB(ushort sequence) => Traffic.Ping(_hc, _hs.InnerV4, count: 1);

    public void MoveB() => _hc.MoveOuterV4("198.18.0.102");

    public List<byte[]> SentByB()
    {
        if (_captured is null)
        {
            _capture.Stop();
            _captured = _capture.UdpPayloads();
        }
        return _captured;
    }

    public IThirdHost AddThirdHost()
    {
        var h = _lab.AddHost();
        return new Third(new UdpProbe(h, h.OuterV4, Pairs.Port));
    }

    /// <summary>The client daemon is still running (a crash would pass every other judge silently).</summary>
    internal void EnsureClientRunning() => Assert.True(_client.Process.IsRunning, $"{_client.Name} exited");

    public void Dispose() => _lab.Dispose();

    private sealed class Third(UdpProbe probe) : IThirdHost
    {
        public long ReceivedDatagrams => probe.ReceivedDatagrams;

        public void Send(byte[] datagram, NetEndpoint to) => probe.Send(datagram, to.ToIPEndPoint());

        public void Dispose() => probe.Dispose();
    }
}
