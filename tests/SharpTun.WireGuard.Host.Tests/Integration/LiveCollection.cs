namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// The live namespace tests run one at a time (their figures would otherwise measure each other on a
/// 2-core machine); only the slow rekey test, which sends a few pings a second, runs beside them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LiveCollection
{
    internal const string Name = "wireguard live";
}

/// <summary>The slow rekey test's own collection, so the rest of the suite runs during its 130 s.</summary>
[CollectionDefinition(Name)]
public sealed class RekeyCollection
{
    internal const string Name = "wireguard live rekey";
}
