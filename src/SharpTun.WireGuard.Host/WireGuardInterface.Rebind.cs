namespace SharpTun.WireGuard.Host;

public sealed partial class WireGuardInterface
{
    /// <summary>How long a rebind waits for the old UDP thread to leave its last batch before it gives up closing the old socket now.</summary>
    private static readonly TimeSpan s_retireTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Applies a listen port / fwmark change (under the lock): nothing when already so; SO_MARK on the same
    /// socket when only the mark changes; else a new socket, and the old one (with its TCP-fallback listener
    /// and connections) is closed before this returns, so the old port is free again. A taken port throws
    /// before anything changed.
    /// <para>Order: the new socket opens (may throw); <c>_bind</c> points at it; the old one is shut down,
    /// its receive thread joined (it returns 0 from its wait and ends its batch; it never takes the
    /// interface lock, so joining here cannot deadlock); a new receive thread starts on the new socket; the
    /// old socket is disposed once no pump batch (the tun pump may have read the old <c>_bind</c>) runs.</para>
    /// </summary>
    internal void RebindLocked(ushort port, uint fwmark)
    {
        var current = _bind.LocalPort;
        if ((port == current || (port == 0 && current != 0 && ListenPort == 0)) && fwmark == FwMark)
        {
            // Already on that port (wg setconf of what wg showconf printed, wg set of the same port): nothing to reopen.
            ListenPort = port;
            return;
        }
        if (port == current && _bind.TrySetFirewallMark(fwmark))
        {
            // Same socket, new SO_MARK: no reopening (the pumps keep using it).
            FwMark = fwmark;
            _log.Info(Name, fwmark == 0 ? "fwmark cleared" : $"fwmark 0x{fwmark:x}");
            return;
        }
        var old = _bind;
        var oldThreads = _netThreads;
        IDatagramBind fresh;
        if (port == current)
        {
            // Same port, new fwmark on a bind that cannot change it in place: the port is ours, so close first, then reopen it.
            RetireLocked(old, oldThreads);
            oldThreads = [];
            fresh = _bindFactory(port, fwmark);
        }
        else
        {
            fresh = _bindFactory(port, fwmark); // throws when the port is taken: nothing changed
        }
        Volatile.Write(ref _bind, fresh);
        ListenPort = port;
        FwMark = fwmark;
        if (port != current)
        {
            RetireLocked(old, oldThreads);
        }
        if (_netThreads.Length > 0 && Volatile.Read(ref _stopping) == 0)
        {
            // A new pipeline with its own buffers and threads (the old threads have ended, or are parked in _oldNetThreads).
            _netThreads = StartInbound(fresh);
        }
        _log.Info(Name, $"listening on UDP port {fresh.LocalPort}{(fwmark == 0 ? "" : $", fwmark 0x{fwmark:x}")}");
    }

    /// <summary>
    /// Shuts <paramref name="old"/> down, waits for its receive threads, and disposes it outside any pump
    /// batch. Threads that do not end in time (a tun write blocked for seconds) keep the socket until
    /// <see cref="Dispose"/>, as before; that is logged.
    /// </summary>
    private void RetireLocked(IDatagramBind old, Thread[] threads)
    {
        old.Shutdown();
        var deadline = Environment.TickCount64 + (long)s_retireTimeout.TotalMilliseconds;
        var stuck = threads.Where(t => t != Thread.CurrentThread && !t.Join(TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64)))).ToList();
        if (stuck.Count > 0)
        {
            _log.Warning(Name, $"UDP port {old.LocalPort}: the receive threads did not stop within {s_retireTimeout.TotalSeconds:0} s; the old socket is closed when the interface stops");
            _oldNetThreads.AddRange(stuck);
            _retiredBinds.Add(old);
            return;
        }
        using (_pumpGate.Exclusive())
        {
            old.Dispose();
        }
    }
}
