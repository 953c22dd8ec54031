namespace SharpTun.WireGuard.Host.Tests.Scenarios;

/// <summary>
/// The network under a two-peer scenario (wireguard-go's genTestPair idea): the scenario body is the same,
/// only where the peers' UDP sockets live differs: a <see cref="FakeScenarioNetwork"/> or real namespaces
/// (<see cref="NamespaceScenarioNetwork"/>). Host N is at 198.18.0.N, its socket on port 51820.
/// </summary>
internal interface IScenarioNetwork : IDisposable
{
    /// <summary>What the network is, for the test output.</summary>
    string Description { get; }

    /// <summary>Opens host <paramref name="host"/>'s socket, reachable at 198.18.0.N:51820.</summary>
    IDatagramBind OpenBind(int host);

    /// <summary>Host 2's address becomes 198.18.0.102 (its old one is gone); <paramref name="bind"/> (from <see cref="OpenBind"/>) stays open.</summary>
    void MoveHost2(IDatagramBind bind);

    /// <summary>Adds host 3 (198.18.0.3), which sends crafted datagrams and counts what comes back.</summary>
    IThirdHost AddThirdHost();
}

/// <summary>A host that is not a peer: sends crafted datagrams, counts replies.</summary>
internal interface IThirdHost : IDisposable
{
    void Send(byte[] datagram, NetEndpoint to);

    long ReceivedDatagrams { get; }
}
