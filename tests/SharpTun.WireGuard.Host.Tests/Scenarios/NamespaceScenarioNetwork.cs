using System.Net;
using SharpTun.Linux.Namespaces;
using SharpTun.Linux.Net;
using SharpTun.WireGuard.Host.Tests.Integration;

namespace SharpTun.WireGuard.Host.Tests.Scenarios;

/// <summary>
/// The scenario network for real: a <see cref="WireLab"/> (host namespaces on a bridge, 198.18.0.N on
/// <c>wire0</c>), each peer's socket a real <see cref="UdpBind"/> on the wildcard address opened inside its
/// host's namespace. Needs root; everything goes with the lab.
/// </summary>
internal sealed class NamespaceScenarioNetwork : IScenarioNetwork
{
    private readonly WireLab _lab = new();

    internal NamespaceScenarioNetwork()
    {
        try
        {
            _lab.AddHost();
            _lab.AddHost();
        }
        catch
        {
            _lab.Dispose();
            throw;
        }
    }

    public string Description => $"namespaces {string.Join(", ", _lab.Hosts.Select(h => h.Name))} on bridge {_lab.Wire.Name}";

    public IDatagramBind OpenBind(int host) =>
        NetNamespace.Run(_lab.Hosts[host - 1].Name, () => UdpBind.Open(new UdpBindOptions { Port = 51820 }));

    public void MoveHost2(IDatagramBind bind) => _lab.Hosts[1].MoveOuterV4("198.18.0.102");

    public IThirdHost AddThirdHost()
    {
        var h = _lab.AddHost();
        return new Third(new UdpProbe(h, h.OuterV4));
    }

    public void Dispose() => _lab.Dispose();

    private sealed class Third(UdpProbe probe) : IThirdHost
    {
        public long ReceivedDatagrams => probe.ReceivedDatagrams;

        public void Send(byte[] datagram, NetEndpoint to) => probe.Send(datagram, to.ToIPEndPoint());

        public void Dispose() => probe.Dispose();
    }
}
