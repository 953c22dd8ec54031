using SharpTun.WireGuard.Host.Tests.Scenarios;
using Xunit.Abstractions;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// Issue 13, sixth test: roaming, <see cref="PeerScenarios.Roaming"/> (the scenario the in-process pairs run
/// over fakes and namespaces) with daemons as users run them (<see cref="LiveRoamingPair"/>). The client
/// (host 2) moves to a new outer address; the SharpTun server (host 1) follows after one authenticated
/// packet (<c>wg show</c> endpoint changes); replays and forgeries from a third address change nothing. The
/// client is upstream wireguard-go (a known-good roaming client: the server alone is judged) or SharpTun.
/// Not Debian's wireguard-go 0.0.20220316: it keeps its cached source address after that address is
/// removed and sends nothing at all (seen with tcpdump, against either server).
/// </summary>
[Collection(LiveCollection.Name)]
public sealed class RoamingLiveTests(ITestOutputHelper output)
{
    [UpstreamWireGuardGoFact]
    public void UpstreamWireGuardGoClientMoves_ServerFollowsAfterOneAuthenticatedPacket_SpoofedPacketsChangeNothing() =>
        ClientMoves(sharpTunClient: false);

    [RootFact]
    public void SharpTunClientMoves_ServerFollowsAfterOneAuthenticatedPacket_SpoofedPacketsChangeNothing() =>
        ClientMoves(sharpTunClient: true);

    private void ClientMoves(bool sharpTunClient)
    {
        using var pair = new LiveRoamingPair(sharpTunClient);
        PeerScenarios.Roaming(pair, TestSeed.Get(output), output);
        pair.EnsureClientRunning();
    }
}
