using SharpTun.Testing.Fakes;

namespace SharpTun.WireGuard.Host.Tests.Scenarios;

/// <summary>The scenario network in memory: a <see cref="FakeDatagramNetwork"/>.</summary>
internal sealed class FakeScenarioNetwork : IScenarioNetwork
{
    private readonly FakeDatagramNetwork _network = new();

    public string Description => "fake UDP network";

    public IDatagramBind OpenBind(int host) => _network.Bind($"198.18.0.{host}:51820");

    public void MoveHost2(IDatagramBind bind) => _network.Move((FakeDatagramBind)bind, NetEndpoint.From(System.Net.IPEndPoint.Parse("198.18.0.102:51820")));

    public IThirdHost AddThirdHost() => new Third(_network.Bind("198.18.0.3:0"));

    public void Dispose()
    {
    }

    private sealed class Third(FakeDatagramBind bind) : IThirdHost
    {
        public long ReceivedDatagrams => bind.Received + bind.Dropped;

        public void Send(byte[] datagram, NetEndpoint to) => Assert.Equal(0, bind.Send([datagram], 0, new DatagramEndpoint(to)));

        public void Dispose() => bind.Dispose();
    }
}
