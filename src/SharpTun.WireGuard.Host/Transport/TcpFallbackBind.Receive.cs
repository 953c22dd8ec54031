using System.Net.Sockets;
using SharpTun.Linux.IO;
using SharpTun.Linux.Net;

namespace SharpTun.WireGuard.Host;

internal sealed partial class TcpFallbackBind
{
    /// <summary>Poll source 0 is the UDP bind, 1 the listener (when listening), then the connections.</summary>
    private const int UdpSource = 0;

    private static readonly TimeSpan s_sweepInterval = TimeSpan.FromMilliseconds(500);

    // Receive thread only.
    private readonly List<TcpLink> _ready = [];
    private TcpLink[] _polled = [];
    private int _firstLinkSource;
    private long _nextSweep;

    public int Receive(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, Span<DatagramEndpoint> endpoints, int offset)
    {
        try
        {
            var n = ReceiveLoop(buffers, sizes, endpoints, offset);
            if (n == 0)
            {
                ReleaseTcp();
            }
            return n;
        }
        catch (ObjectDisposedException) when (_shutdown)
        {
            // Disposed under a running receive (a rebind on the same port): the loop is over.
            return 0;
        }
    }

    private int ReceiveLoop(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, Span<DatagramEndpoint> endpoints, int offset)
    {
        while (!_shutdown)
        {
            var n = DeliverReady(buffers, sizes, endpoints, offset);
            if (n > 0)
            {
                return n;
            }
            if (_udp.HasPending)
            {
                // The rest of a GRO message waits inside the UDP bind: its poll handle would not show it.
                return _udp.Receive(buffers[..Math.Min(buffers.Length, _udp.BatchSize)], sizes, endpoints, offset);
            }
            var poller = PreparePollSet();
            var now = _time.GetTimestamp();
            var wait = (int)Math.Clamp(_time.GetElapsedTime(now, _nextSweep).TotalMilliseconds + 1, 0, 1000);
            poller.Wait(wait);
            if (_shutdown)
            {
                break;
            }
            if (_listener is not null && poller.IsReadable(1))
            {
                AcceptSome();
            }
            for (var i = 0; i < _polled.Length; i++)
            {
                Service(_polled[i], poller.Ready(_firstLinkSource + i));
            }
            now = _time.GetTimestamp();
            if (now >= _nextSweep)
            {
                Sweep(now);
                _nextSweep = now + (long)(s_sweepInterval.TotalSeconds * _time.TimestampFrequency);
            }
            n = DeliverReady(buffers, sizes, endpoints, offset);
            if (n > 0)
            {
                return n;
            }
            if (poller.IsReadable(UdpSource))
            {
                // Readable: the UDP receive returns at once (0 after shutdown).
                var take = Math.Min(buffers.Length, _udp.BatchSize);
                return _udp.Receive(buffers[..take], sizes, endpoints, offset);
            }
        }
        return 0;
    }

    /// <summary>The poll set for this wait: rebuilt when connections came or went; per connection what to wait for.</summary>
    private Poller PreparePollSet()
    {
        if (_pollSetDirty || _poller is null)
        {
            _pollSetDirty = false;
            TcpLink[] links;
            lock (_linksLock)
            {
                links = [.. _links.Values];
            }
            var fresh = new Poller();
            fresh.Add(_udp.PollHandle);
            if (_listener is not null)
            {
                fresh.Add(_listener.SafeHandle);
            }
            _firstLinkSource = fresh.Count;
            foreach (var l in links)
            {
                l.PollIndex = fresh.Add(l.Socket.SafeHandle, PollEvents.None);
            }
            _polled = links;
            lock (_pollerLock)
            {
                _poller?.Dispose();
                _poller = fresh;
            }
        }
        var poller = _poller!;
        foreach (var l in _polled)
        {
            var paused = l.Queued || (!l.Answered && l.Frames >= _options.MaxUnansweredFrames);
            var events = l.Connecting ? PollEvents.Writable
                : (paused ? PollEvents.None : PollEvents.Readable) | (l.WantWrite || l.Broken ? PollEvents.Writable : PollEvents.None);
            poller.SetEvents(l.PollIndex, events);
        }
        return poller;
    }

    /// <summary>After shutdown, on the receive thread: the listener and connections go (a successor bind may take the port).</summary>
    private void ReleaseTcp()
    {
        _listener?.Dispose();
        TcpLink[] links;
        lock (_linksLock)
        {
            links = [.. _links.Values];
            _links.Clear();
        }
        foreach (var l in links)
        {
            l.Close();
        }
    }

    private void Service(TcpLink link, PollEvents ready)
    {
        if (link.Closed)
        {
            return;
        }
        if (link.Broken)
        {
            CloseLink(link, "the connection broke while sending", LinkEnd.Remote);
            return;
        }
        if (link.Connecting)
        {
            if (ready == PollEvents.None)
            {
                return;
            }
            var error = (int)link.Socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
            if (error != 0)
            {
                CloseLink(link, $"cannot connect: {SharpTun.Netlink.ErrnoText.Describe(error)}", LinkEnd.Remote);
                return;
            }
            _log.Info(_name, $"TCP fallback: connected to {link.Remote}");
            if (!link.Connection.Connected())
            {
                CloseLink(link, "the connection broke while sending", LinkEnd.Remote);
            }
            return;
        }
        if ((ready & PollEvents.Writable) != 0 && !link.Connection.Flush())
        {
            CloseLink(link, "the connection broke while sending", LinkEnd.Remote);
            return;
        }
        if ((ready & PollEvents.Readable) != 0 && !link.Queued && (link.Answered || link.Frames < _options.MaxUnansweredFrames))
        {
            Read(link);
        }
    }

    /// <summary>One read (what the kernel has, up to the reader's room), then the link waits on the ready list.</summary>
    private void Read(TcpLink link)
    {
        link.GrowIfAnswered();
        var result = link.Connection.Receive(out var error);
        if (result == StreamReceive.WouldBlock)
        {
            return;
        }
        if (result != StreamReceive.Data)
        {
            CloseLink(link, result == StreamReceive.Ended ? "closed by the other end" : $"receive failed: {error}", LinkEnd.Remote);
            return;
        }
        link.Queued = true;
        _ready.Add(link);
    }

    /// <summary>Hands over whole frames from the ready connections, in turn; a connection with an invalid frame is closed.</summary>
    private int DeliverReady(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, Span<DatagramEndpoint> endpoints, int offset)
    {
        var count = 0;
        var kept = 0;
        for (var i = 0; i < _ready.Count; i++)
        {
            var link = _ready[i];
            var done = link.Closed;
            var taken = 0;
            link.GrowIfAnswered();
            while (!done && count < buffers.Length)
            {
                if (!link.Answered && link.Frames + taken >= _options.MaxUnansweredFrames)
                {
                    break; // unanswered: the rest waits until the interface confirms or answers it
                }
                var status = link.Connection.Input.Next(out var message);
                if (status == StreamFrameStatus.Message)
                {
                    var slot = buffers[count].Span[offset..];
                    if (message.Length <= slot.Length)
                    {
                        message.Span.CopyTo(slot);
                        sizes[count] = message.Length;
                    }
                    else
                    {
                        sizes[count] = -1;
                    }
                    endpoints[count] = new DatagramEndpoint(link.Remote, DatagramTransport.Tcp);
                    count++;
                    taken++;
                    continue;
                }
                if (status == StreamFrameStatus.Invalid)
                {
                    CloseLink(link, link.Connection.Input.Problem!, LinkEnd.Invalid);
                }
                done = true;
            }
            if (taken > 0)
            {
                link.Frames += taken;
                link.LastReceived = _time.GetTimestamp();
                Counters.CountFrames(taken);
            }
            if (done)
            {
                link.Queued = false;
            }
            else
            {
                _ready[kept++] = link;
            }
        }
        _ready.RemoveRange(kept, _ready.Count - kept);
        return count;
    }
}
