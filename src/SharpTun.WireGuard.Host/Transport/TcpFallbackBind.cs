using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using SharpTun.Linux.IO;
using SharpTun.Netlink;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// The interface's bind when the encrypted TCP fallback is configured: the UDP bind, plus a TCP
/// listener (TcpListenPort) and the TCP connections, accepted or dialed to a fallback target. A
/// datagram received on a connection carries <see cref="DatagramTransport.Tcp"/> and the
/// connection's remote in its <see cref="DatagramEndpoint"/>; a send to such an endpoint goes back
/// on that connection (or dials it, when it is a registered target). WireGuard messages travel
/// unchanged in <see cref="StreamFraming"/> frames (judged by <see cref="WireGuardFrameCheck"/>).
/// <para>Threads: <see cref="Receive"/> is the event loop (accepts, reads, connects, flushes,
/// closes, timeouts), polling the UDP bind's <see cref="IDatagramBind.PollHandle"/> together with the
/// TCP sockets; <see cref="Send"/> from any thread never blocks (output beyond the socket buffer is
/// bounded per connection). <see cref="PollHandle"/> is the UDP bind's: it does not see TCP.</para>
/// </summary>
internal sealed partial class TcpFallbackBind : IDatagramBind, IStreamFallback
{
    /// <summary>What one receive hands over at most.</summary>
    private const int MinBatch = 64;

    private readonly IDatagramBind _udp;
    private readonly TcpFallbackOptions _options;
    private readonly HostLog _log;
    private readonly string _name;
    private readonly TimeProvider _time;
    private readonly Socket? _listener;
    private readonly Lock _linksLock = new();
    private readonly Dictionary<NetEndpoint, TcpLink> _links = [];
    private readonly HashSet<NetEndpoint> _dialTargets = [];
    private readonly Dictionary<NetEndpoint, long> _lastDial = [];
    private readonly Lock _pollerLock = new();
    private Poller? _poller;
    private volatile bool _pollSetDirty = true;
    private volatile bool _shutdown;

    internal TcpFallbackBind(IDatagramBind udp, TcpFallbackOptions options, HostLog log, string name, TimeProvider? time = null)
    {
        _udp = udp;
        _options = options;
        _log = log;
        _name = name;
        _time = time ?? TimeProvider.System;
        if (options.ListenPort != 0)
        {
            _listener = Listen(options.ListenPort, name);
        }
        _nextSweep = _time.GetTimestamp();
    }

    public ushort LocalPort => _udp.LocalPort;

    /// <summary>The local TCP port accepting the fallback; 0 when not listening.</summary>
    internal ushort TcpPort => _listener is null ? (ushort)0 : (ushort)((IPEndPoint)_listener.LocalEndPoint!).Port;

    public int BatchSize => Math.Max(_udp.BatchSize, MinBatch);

    public SafeHandle PollHandle => _udp.PollHandle;

    /// <summary>The UDP bind's offload figures (TCP sends and receives are not in them).</summary>
    public IDatagramOffloadStatistics? OffloadStatistics => _udp.OffloadStatistics;

    /// <summary>This bind: its TCP connections.</summary>
    public IStreamFallback StreamFallback => this;

    /// <summary>Connections accepted, refused (over the cap), and closed by cause.</summary>
    internal TcpFallbackCounters Counters { get; } = new();

    /// <summary>Open connections (accepted and dialed).</summary>
    internal int ConnectionCount
    {
        get
        {
            lock (_linksLock)
            {
                return _links.Count;
            }
        }
    }

    /// <summary>Lets sends to <paramref name="remote"/> over TCP open a connection when none is up. Idempotent.</summary>
    public void AddDialTarget(in NetEndpoint remote)
    {
        lock (_linksLock)
        {
            _dialTargets.Add(remote);
        }
    }

    /// <summary>Stops dialing <paramref name="remote"/> (an open connection stays until it ends).</summary>
    public void RemoveDialTarget(in NetEndpoint remote)
    {
        lock (_linksLock)
        {
            _dialTargets.Remove(remote);
        }
    }

    /// <summary>
    /// The interface authenticated a message from the connection to <paramref name="remote"/> (its peer's
    /// endpoint is now that connection): full-size frames are accepted from it. Idempotent; any thread.
    /// </summary>
    public void Confirm(in NetEndpoint remote)
    {
        bool woke;
        lock (_linksLock)
        {
            woke = _links.TryGetValue(remote, out var link) && !link.Answered;
            if (woke)
            {
                link!.Answered = true;
            }
        }
        if (woke)
        {
            Wake();
        }
    }

    public int Send(ReadOnlySpan<Memory<byte>> datagrams, int offset, in DatagramEndpoint destination)
    {
        if (destination.Transport != DatagramTransport.Tcp)
        {
            return _udp.Send(datagrams, offset, destination);
        }
        TcpLink? link;
        var created = false;
        lock (_linksLock)
        {
            if (!_links.TryGetValue(destination.Remote, out link) && _dialTargets.Contains(destination.Remote) && !_shutdown)
            {
                link = Dial(destination.Remote);
                created = link is not null;
            }
        }
        if (link is null)
        {
            return Errno.ENOTCONN;
        }
        var errno = link.Append(datagrams, offset);
        if (created || link.WantWrite)
        {
            Wake();
        }
        return errno;
    }

    public void Shutdown()
    {
        _shutdown = true;
        _udp.Shutdown();
        Wake();
    }

    public void Dispose()
    {
        Shutdown();
        lock (_linksLock)
        {
            foreach (var l in _links.Values)
            {
                l.Close();
            }
            _links.Clear();
        }
        _listener?.Dispose();
        lock (_pollerLock)
        {
            _poller?.Dispose();
            _poller = null;
        }
        _udp.Dispose();
    }

    private void Wake()
    {
        lock (_pollerLock)
        {
            _poller?.Wake();
        }
    }

    private static Socket Listen(ushort port, string name)
    {
        Socket? s = null;
        try
        {
            try
            {
                s = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
                ReusePort(s);
                s.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressFamilyNotSupported or SocketError.ProtocolNotSupported)
            {
                s?.Dispose();
                s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                ReusePort(s);
                s.Bind(new IPEndPoint(IPAddress.Any, port));
            }
            s.Listen(64);
            s.Blocking = false;
            return s;
        }
        catch (SocketException e)
        {
            s?.Dispose();
            var cause = e.SocketErrorCode == SocketError.AddressAlreadyInUse ? "the port is in use" : ErrnoText.Describe(e.NativeErrorCode);
            throw new IOException($"interface '{name}': cannot listen on TCP port {port} for the encrypted fallback (TcpListenPort): {cause}", e);
        }
    }

    /// <summary>
    /// SO_REUSEADDR and SO_REUSEPORT: a rebind (UAPI listen_port or fwmark change) opens the new bind
    /// while the old one still holds the TCP port; the old one closes its listener when its receive loop ends.
    /// </summary>
    private static void ReusePort(Socket s)
    {
        s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        s.SetRawSocketOption(OuterSocketOptions.SolSocket, OuterSocketOptions.SoReusePort, BitConverter.GetBytes(1));
    }

    private static NetEndpoint ToNet(EndPoint? endPoint)
    {
        if (endPoint is not IPEndPoint ip)
        {
            return default;
        }
        return ip.Address.IsIPv4MappedToIPv6 ? NetEndpoint.From(new IPEndPoint(ip.Address.MapToIPv4(), ip.Port)) : NetEndpoint.From(ip);
    }
}
