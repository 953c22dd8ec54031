using SharpTun.WireGuard.Host.Tests.Integration;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests.Scenarios;

/// <summary>The <see cref="PeerScenarios"/> over the in-memory network.</summary>
public sealed class ScenariosOverFakes(ITestOutputHelper output)
{
    [Fact]
    public void ManyPacketsBothWays_ArriveExactAndInOrder()
    {
        using var p = new ScenarioPair(new FakeScenarioNetwork());
        PeerScenarios.PacketsBothWays(p, TestSeed.Get(output));
    }

    [Fact]
    public void Roaming_FollowsOneAuthenticatedPacket_SpoofedOnesChangeNothing()
    {
        using var p = new ScenarioPair(new FakeScenarioNetwork());
        PeerScenarios.Roaming(p, TestSeed.Get(output), output);
    }
}

/// <summary>The same <see cref="PeerScenarios"/> over real namespaces and UDP sockets (root).</summary>
[Collection(LiveCollection.Name)]
public sealed class ScenariosOverNamespaces(ITestOutputHelper output)
{
    [RootFact]
    public void ManyPacketsBothWays_ArriveExactAndInOrder()
    {
        using var p = new ScenarioPair(new NamespaceScenarioNetwork());
        PeerScenarios.PacketsBothWays(p, TestSeed.Get(output));
    }

    [RootFact]
    public void Roaming_FollowsOneAuthenticatedPacket_SpoofedOnesChangeNothing()
    {
        using var p = new ScenarioPair(new NamespaceScenarioNetwork());
        PeerScenarios.Roaming(p, TestSeed.Get(output), output);
    }
}
