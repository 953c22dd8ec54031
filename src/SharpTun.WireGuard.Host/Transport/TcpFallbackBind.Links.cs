using System.Net.Sockets;

namespace SharpTun.WireGuard.Host;

internal sealed partial class TcpFallbackBind
{
    /// <summary>Connections taken per wake-up of the listener (a burst beyond waits in the backlog).</summary>
    private const int AcceptsPerWake = 16;

    private enum LinkEnd
    {
        Remote,
        Invalid,
        Timeout,
        Local,
    }

    private void AcceptSome()
    {
        for (var i = 0; i < AcceptsPerWake; i++)
        {
            Socket s;
            try
            {
                s = _listener!.Accept();
            }
            catch (SocketException)
            {
                return; // nothing more pending (EAGAIN), or the client already gave up
            }
            var remote = ToNet(s.RemoteEndPoint);
            var now = _time.GetTimestamp();
            TcpLink? evict = null;
            lock (_linksLock)
            {
                if (_links.Count >= _options.MaxConnections || !remote.IsSet || _links.ContainsKey(remote))
                {
                    evict = null;
                    s.Dispose();
                    Counters.CountRefused();
                    continue;
                }
                var unanswered = 0;
                foreach (var l in _links.Values)
                {
                    if (!l.Answered)
                    {
                        unanswered++;
                        if (evict is null || l.Opened < evict.Opened)
                        {
                            evict = l;
                        }
                    }
                }
                if (unanswered < _options.MaxUnanswered)
                {
                    evict = null;
                }
                s.Blocking = false;
                s.NoDelay = true;
                _links.Add(remote, new TcpLink(s, remote, dialed: false, connecting: false, now));
                _pollSetDirty = true;
            }
            Counters.CountAccepted();
            if (evict is not null)
            {
                CloseLink(evict, $"{_options.MaxUnanswered} connections are waiting for a handshake; the oldest makes room", LinkEnd.Timeout);
            }
            if (_log.IsEnabled(HostLogLevel.Debug))
            {
                _log.Debug(_name, $"TCP fallback: accepted a connection from {remote}");
            }
        }
    }

    /// <summary>Starts a non-blocking connect to a fallback target (under the links lock); null when not now or not possible.</summary>
    private TcpLink? Dial(in NetEndpoint remote)
    {
        var now = _time.GetTimestamp();
        var interval = (long)(_options.RedialInterval.TotalSeconds * _time.TimestampFrequency);
        if (_lastDial.TryGetValue(remote, out var last) && now - last < interval)
        {
            return null;
        }
        _lastDial[remote] = now;
        var s = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { Blocking = false, NoDelay = true };
        var connecting = false;
        try
        {
            if (_options.FirewallMark != 0)
            {
                Span<byte> mark = stackalloc byte[4];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(mark, _options.FirewallMark);
                s.SetRawSocketOption(OuterSocketOptions.SolSocket, OuterSocketOptions.SoMark, mark);
            }
            s.Connect(remote.ToIPEndPoint());
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            connecting = true;
        }
        catch (SocketException e)
        {
            s.Dispose();
            _log.Info(_name, $"TCP fallback: cannot connect to {remote}: {SharpTun.Netlink.ErrnoText.Describe(e.NativeErrorCode)}");
            return null;
        }
        var link = new TcpLink(s, remote, dialed: true, connecting, now);
        _links.Add(remote, link);
        _pollSetDirty = true;
        Counters.CountDialed();
        _log.Info(_name, $"TCP fallback: connecting to {remote}");
        return link;
    }

    /// <summary>Closes a link (receive thread) and forgets it.</summary>
    private void CloseLink(TcpLink link, string why, LinkEnd end)
    {
        lock (_linksLock)
        {
            if (_links.TryGetValue(link.Remote, out var current) && ReferenceEquals(current, link))
            {
                _links.Remove(link.Remote);
            }
            _pollSetDirty = true;
        }
        link.Close();
        switch (end)
        {
            case LinkEnd.Invalid:
                Counters.CountInvalid();
                break;
            case LinkEnd.Timeout:
                Counters.CountTimeout();
                break;
            case LinkEnd.Remote:
                Counters.CountRemote();
                break;
        }
        // Answered links are peers we talk to: their end is news. Unanswered ones may be a flood: debug only.
        if (link.Answered || link.Dialed)
        {
            _log.Info(_name, $"TCP fallback: connection {link.Remote} closed: {why}");
        }
        else if (_log.IsEnabled(HostLogLevel.Debug))
        {
            _log.Debug(_name, $"TCP fallback: connection {link.Remote} closed: {why}");
        }
    }

    /// <summary>Deadlines: first frame, answered in time, idle, connect.</summary>
    private void Sweep(long now)
    {
        TcpLink[] links;
        lock (_linksLock)
        {
            if (_links.Count == 0)
            {
                return;
            }
            links = [.. _links.Values];
        }
        foreach (var l in links)
        {
            var age = _time.GetElapsedTime(l.Opened, now);
            var quiet = _time.GetElapsedTime(l.LastReceived, now);
            string? why = null;
            if (l.Connecting && age >= _options.ConnectTimeout)
            {
                why = $"connect did not complete within {_options.ConnectTimeout.TotalSeconds:0} s";
            }
            else if (!l.Answered && l.Frames == 0 && age >= _options.FirstFrameTimeout)
            {
                why = $"no whole frame within {_options.FirstFrameTimeout.TotalSeconds:0} s";
            }
            else if (!l.Answered && age >= _options.UnansweredLifetime)
            {
                why = $"no handshake accepted within {_options.UnansweredLifetime.TotalSeconds:0} s";
            }
            else if (!l.Answered && l.Frames > _options.MaxUnansweredFrames)
            {
                why = $"{l.Frames} handshake frames and none accepted";
            }
            else if (l.Answered && !l.Connecting && quiet >= _options.IdleTimeout)
            {
                why = $"idle for {_options.IdleTimeout.TotalMinutes:0} min";
            }
            if (why is not null)
            {
                CloseLink(l, why, LinkEnd.Timeout);
            }
        }
    }
}
