namespace SharpTun.WireGuard.Host.Tests.Scenarios;

/// <summary>
/// What <see cref="PeerScenarios.Roaming"/> needs of two peers, A = host 1 (198.18.0.1:51820, knows B's
/// endpoint) and B = host 2 (198.18.0.2:51820): in-process interfaces over a fake or a namespace network
/// (<see cref="ScenarioPair"/>) or daemons in a lab (<see cref="Integration.LiveRoamingPair"/>).
/// </summary>
internal interface IRoamingPair
{
    /// <summary>What the peers are, for the test output.</summary>
    string Description { get; }

    /// <summary>A's current endpoint for B, as <c>wg show</c> prints it.</summary>
    string EndpointOfBOnA { get; }

    /// <summary>Packets A's interface has delivered into its tun.</summary>
    long DeliveredToA { get; }

    /// <summary>Datagrams A dropped off the wire (every reason but no_route, which the tun side's own link chatter feeds).</summary>
    long WireDropsAtA { get; }

    /// <summary>One packet each way through the tunnel, each arriving (which way starts is the pair's choice).</summary>
    void Exchange(ushort sequence);

    /// <summary>B sends one packet to A through the tunnel; it arrives.</summary>
    void SendFromB(ushort sequence);

    /// <summary>Host 2's address becomes 198.18.0.102 (its old one is gone); B keeps running on the same socket.</summary>
    void MoveB();

    /// <summary>The datagrams B sent to A so far, in order (what a capture on A's wire sees).</summary>
    List<byte[]> SentByB();

    /// <summary>Adds host 3 (198.18.0.3), which sends crafted datagrams and counts what comes back.</summary>
    IThirdHost AddThirdHost();
}
