namespace SharpTun.WireGuard.Host;

public sealed partial class WireGuardInterface
{
    /// <summary>The running captures; null when none (the pumps' one-line hooks test only this).</summary>
    private CaptureSession[]? _captures;

    /// <summary>The pumps' hook: offers an inner packet of <paramref name="peer"/> to the running captures; a volatile read and a null test when none runs.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal void Captured(WireGuardPeer peer, ReadOnlySpan<byte> packet)
    {
        if (Volatile.Read(ref _captures) is { } captures)
        {
            CaptureSession.Offer(captures, peer, packet);
        }
    }

    /// <summary>
    /// Captures the inner packets of the peer with <paramref name="peerKey"/> (or of every peer when null) to
    /// <paramref name="output"/> as pcap until <paramref name="closed"/> returns true; blocks meanwhile (run it on
    /// the connection's thread). Outbound packets are taken before encryption, inbound after decryption and the
    /// allowed-IPs check. <paramref name="started"/> runs once the capture is on, before the pcap header. Returns the session's counts. A key no peer has is an error naming it.
    /// </summary>
    public (long Captured, long Dropped) Capture(byte[]? peerKey, Stream output, Func<bool> closed, Action? started = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(closed);
        lock (_gate)
        {
            if (peerKey is not null && _device.FindPeer(peerKey) is null)
            {
                throw new KeyNotFoundException($"interface '{Name}' has no peer {Convert.ToBase64String(peerKey)}");
            }
        }
        var session = new CaptureSession(peerKey, _time);
        Change(session, add: true);
        var what = peerKey is null ? "all peers" : $"peer {HostLogEvents.ShortKey(Convert.ToBase64String(peerKey))}";
        _log.Info(Name, $"capture of {what} started");
        try
        {
            started?.Invoke();
            session.Run(output, closed);
        }
        catch (IOException)
        {
            // The reader went away mid-write.
        }
        finally
        {
            Change(session, add: false);
            _log.Info(Name, $"capture of {what} ended: {session.Captured} packet(s){(session.Dropped > 0 ? $", {session.Dropped} not captured (reader too slow)" : "")}");
        }
        return (session.Captured, session.Dropped);
    }

    private void Change(CaptureSession session, bool add)
    {
        lock (_gate)
        {
            var current = _captures ?? [];
            var next = add ? [.. current, session] : current.Where(s => s != session).ToArray();
            Volatile.Write(ref _captures, next.Length == 0 ? null : next);
        }
    }
}
