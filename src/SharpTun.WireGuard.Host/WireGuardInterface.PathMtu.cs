namespace SharpTun.WireGuard.Host;

public sealed partial class WireGuardInterface
{
    /// <summary>WireGuard's data message overhead on top of the inner packet (header 16 + tag 16).</summary>
    private const int WireGuardOverhead = WireGuardConstants.DataOverhead;

    /// <summary>Reads the path MTU to the peer's endpoint every check interval (probing now and then), off the lock; warns when the tunnel does not fit.</summary>
    private void MtuTick(PeerTransport t, PeerState state, long now)
    {
        if (t.MtuCheck is { IsCompleted: true } done)
        {
            t.MtuCheck = null;
            var mtu = done.Result;
            state.PathMtu = mtu;
            var outer = _tunnelMtu + WireGuardOverhead + PathMtuProbe.IpUdpOverhead(t.MtuProbedRemote.IsIPv6);
            if (mtu > 0 && outer > mtu && state.Transport == DatagramTransport.Udp && t.MtuWarned != mtu)
            {
                t.MtuWarned = mtu;
                _log.Error(Name, $"warning: peer {state.Peer}: the path to {t.MtuProbedRemote.ToString()} carries at most {mtu}-byte packets, but the tunnel MTU {_tunnelMtu} makes {outer}-byte ones "
                    + $"(they are fragmented or lost); set MTU = {mtu - WireGuardOverhead - PathMtuProbe.IpUdpOverhead(t.MtuProbedRemote.IsIPv6)} in [Interface]");
            }
            else if (mtu > 0 && outer <= mtu)
            {
                t.MtuWarned = 0;
            }
        }
        var remote = state.Endpoint.Remote;
        if (t.MtuCheck is not null || !remote.IsSet)
        {
            return;
        }
        var changed = remote != t.MtuProbedRemote;
        if (!changed && t.LastMtuCheck != long.MinValue && _time.GetElapsedTime(t.LastMtuCheck, now) < _fallbackSettings.MtuCheckInterval)
        {
            return;
        }
        var probe = changed || t.LastMtuProbe == long.MinValue || _time.GetElapsedTime(t.LastMtuProbe, now) >= _fallbackSettings.MtuProbeInterval;
        t.LastMtuCheck = now;
        if (probe)
        {
            t.LastMtuProbe = now;
        }
        t.MtuProbedRemote = remote;
        var size = probe ? _tunnelMtu + WireGuardOverhead + PathMtuProbe.IpUdpOverhead(remote.IsIPv6) : 0;
        var fwmark = FwMark;
        t.MtuCheck = Task.Run(() => PathMtuProbe.CheckAsync(remote, fwmark, size));
    }
}
