namespace SharpTun.WireGuard;

public sealed partial class WireGuardDevice
{
    /// <summary>The peer's timer state as wall-clock times (takes the peer's lock; allocates nothing).</summary>
    public PeerTimers GetTimers(WireGuardPeer peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var wall = _time.GetUtcNow();
        lock (peer.Sync)
        {
            var now = Now();
            DateTimeOffset? At(long ticks) => ticks == long.MinValue ? null : wall - TimeSpan.FromTicks(now - ticks);
            return new PeerTimers(wall, At(peer.LastSent), At(peer.LastReceived), At(peer.AttemptStarted), At(peer.DataSentUnanswered), At(peer.AttemptFailed));
        }
    }
}
