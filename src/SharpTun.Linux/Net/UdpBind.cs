using System.Net.Sockets;
using System.Net;
using System.Runtime.InteropServices;
using SharpTun.IO;
using SharpTun.Linux.IO;
using SharpTun.Linux.Interop;
using SharpTun.Netlink;

namespace SharpTun.Linux.Net;

/// <summary>
/// A bound UDP socket with batched I/O (recvmmsg/sendmmsg) and the local address of every datagram
/// (IP_PKTINFO / IPV6_PKTINFO), so replies leave from the address the peer spoke to.
/// <para>One socket serves both families: listening on every address (the default) is one
/// dual-stack <c>[::]</c> socket, where IPv4 peers appear as IPv4 endpoints (the socket sees them
/// as ::ffff:a.b.c.d); a kernel without IPv6 falls back to <c>0.0.0.0</c>. Listening on one address
/// is a socket of that address's family only. The fd is non-blocking; a receive waits on an epoll
/// set of the socket and a shutdown eventfd.</para>
/// <para>Offloads (see <see cref="UdpBindOptions.Gso"/>, <see cref="UdpBindOptions.Gro"/>): a send
/// of same-size datagrams to one destination goes as UDP_SEGMENT messages (one system call for up
/// to 64 datagrams each), mixed sizes as sendmmsg; a receive splits UDP_GRO messages back into one
/// datagram per buffer. The counters (<see cref="IDatagramOffloadStatistics"/>) show which ran.</para>
/// <para>Concurrency: one receiving thread; several sending threads (each takes one of a few
/// preallocated header sets); <see cref="Shutdown"/> from any thread. Dispose after all have stopped.</para>
/// </summary>
public sealed unsafe partial class UdpBind : IDatagramBind, IDatagramOffloadStatistics
{
    private readonly Socket _socket;
    private readonly ReadySet _ready;
    private readonly int _family;
    private readonly string _label;
    private int _shutdown;
    private int _disposed;

    private UdpBind(Socket socket, UdpBindOptions options, bool gso, bool gro)
    {
        var batchSize = options.BatchSize;
        _socket = socket;
        _family = socket.AddressFamily == AddressFamily.InterNetworkV6 ? Libc.AF_INET6 : Libc.AF_INET;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _label = $"UDP socket on {LocalEndPoint}";
        BatchSize = batchSize;
        _ready = ReadySet.Create(socket.SafeHandle, _label);
        _rx = new MessageBuffers(batchSize, batchSize, batchSize, ControlMessages.ReceiveSpace, batchSize);
        _tx = new MessageBuffers[SendSlots];
        for (var i = 0; i < SendSlots; i++)
        {
            _tx[i] = new MessageBuffers(batchSize, SendIovecsPerMessage * batchSize, 1, ControlMessages.SendSpace, batchSize);
        }
        _log = options.Log;
        _gso = gso ? 1 : 0;
        _gro = gro ? new GroQueue(Math.Min(batchSize, MaxGroMessages)) : null;
        _received = new ReceivedMessage[batchSize];
    }

    /// <summary>The socket (tests read options back through it).</summary>
    internal Socket Socket => _socket;

    /// <summary>The address and port the socket is bound to (<c>[::]:PORT</c> when dual-stack).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <inheritdoc/>
    public ushort LocalPort => (ushort)LocalEndPoint.Port;

    /// <inheritdoc/>
    public int BatchSize { get; }

    /// <summary>The epoll set of the socket and the shutdown eventfd: readable while datagrams are queued or after <see cref="Shutdown"/>.</summary>
    public SafeHandle PollHandle => _ready.Handle;

    /// <summary>How many sends were retried without their source address because the kernel refused it (the address is gone).</summary>
    public long SourceFallbacks => Interlocked.Read(ref _sourceFallbacks);

    /// <summary>
    /// Opens and binds the socket. Throws <see cref="PacketIOException"/> naming the address and the
    /// cause (in use, not a local address, permission for the fwmark).
    /// </summary>
    public static UdpBind Open(UdpBindOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1);
        var address = options.Address ?? IPAddress.IPv6Any;
        var socket = CreateSocket(ref address);
        try
        {
            var at = new IPEndPoint(address, options.Port);
            var what = $"UDP socket on {at}";
            socket.Blocking = false;
            SetBuffer(socket, SockOpt.SO_RCVBUFFORCE, SockOpt.SO_RCVBUF, options.BufferSize);
            SetBuffer(socket, SockOpt.SO_SNDBUFFORCE, SockOpt.SO_SNDBUF, options.BufferSize);
            if (options.FirewallMark is { } mark)
            {
                SetMark(socket, mark, what);
            }
            if (socket.AddressFamily == AddressFamily.InterNetworkV6)
            {
                SetInt(socket, SockOpt.SOL_IPV6, SockOpt.IPV6_RECVPKTINFO, 1, what, "IPV6_RECVPKTINFO");
            }
            if (socket.AddressFamily == AddressFamily.InterNetwork || socket.DualMode)
            {
                SetInt(socket, SockOpt.SOL_IP, SockOpt.IP_PKTINFO, 1, what, "IP_PKTINFO");
            }
            try
            {
                socket.Bind(at);
            }
            catch (SocketException e)
            {
                var hint = e.NativeErrorCode == Errno.EADDRNOTAVAIL ? " (it is not an address of this host)" : "";
                throw new PacketIOException($"cannot bind UDP socket to {at}: {Errno.Describe(e.NativeErrorCode)}{hint}", what, e.NativeErrorCode);
            }
            // UDP_GRO (5.0+) refused: the kernel cuts coalesced packets before queueing them, as without it.
            var gro = options.Gro && TrySetInt(socket, SockOpt.SOL_UDP, SockOpt.UDP_GRO, 1);
            return new UdpBind(socket, options, options.Gso && HasSegmentation(socket), gro);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Why GSO was turned off on this socket after a refused send; null while it was not.</summary>
    public string? GsoDisabledReason => Volatile.Read(ref _gsoDisabledReason);

    /// <summary>Sets SO_MARK (fwmark) on the socket; 0 clears it. Needs CAP_NET_ADMIN.</summary>
    public void SetFirewallMark(uint mark) => SetMark(_socket, mark, _label);

    /// <summary>Sets SO_MARK in place (<see cref="SetFirewallMark"/>): always true.</summary>
    public bool TrySetFirewallMark(uint mark)
    {
        SetFirewallMark(mark);
        return true;
    }

    /// <summary>This bind's own offload counters.</summary>
    public IDatagramOffloadStatistics OffloadStatistics => this;

    /// <inheritdoc/>
    public void Shutdown()
    {
        Volatile.Write(ref _shutdown, 1);
        _ready.Wake.Signal();
    }

    /// <summary>Closes the socket and frees the native headers.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        Shutdown();
        _socket.Dispose();
        _ready.Dispose();
        _rx.Dispose();
        _gro?.Dispose();
        foreach (var tx in _tx)
        {
            tx.Dispose();
        }
    }

    /// <inheritdoc/>
    public override string ToString() => _label;

    private static Socket CreateSocket(ref IPAddress address)
    {
        try
        {
            var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = address.Equals(IPAddress.IPv6Any);
            }
            return socket;
        }
        catch (SocketException e) when (e.NativeErrorCode == Errno.EAFNOSUPPORT && address.Equals(IPAddress.IPv6Any))
        {
            address = IPAddress.Any; // kernel without IPv6: every IPv4 address
            return new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        }
        catch (SocketException e)
        {
            throw new PacketIOException($"cannot create a UDP socket for {address}: {Errno.Describe(e.NativeErrorCode)}", $"UDP socket on {address}", e.NativeErrorCode);
        }
    }

    // getsockopt(UDP_SEGMENT) answers on kernels that know the option (4.18+); ENOPROTOOPT before.
    private static bool HasSegmentation(Socket socket)
    {
        try
        {
            Span<byte> value = stackalloc byte[sizeof(int)];
            socket.GetRawSocketOption(SockOpt.SOL_UDP, SockOpt.UDP_SEGMENT, value);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static void SetBuffer(Socket socket, int force, int plain, int size)
    {
        // The FORCE variants need CAP_NET_ADMIN; without it the plain one is capped by net.core.[rw]mem_max.
        if (!TrySetInt(socket, SockOpt.SOL_SOCKET, force, size))
        {
            _ = TrySetInt(socket, SockOpt.SOL_SOCKET, plain, size);
        }
    }

    private static void SetMark(Socket socket, uint mark, string what)
    {
        if (!TrySetInt(socket, SockOpt.SOL_SOCKET, SockOpt.SO_MARK, (int)mark, out var errno))
        {
            var hint = errno == Errno.EPERM ? " (needs CAP_NET_ADMIN; run as root)" : "";
            throw new PacketIOException($"cannot set fwmark 0x{mark:x} on {what}: {Errno.Describe(errno)}{hint}", what, errno);
        }
    }

    private static void SetInt(Socket socket, int level, int name, int value, string what, string option)
    {
        if (!TrySetInt(socket, level, name, value, out var errno))
        {
            throw new PacketIOException($"cannot set {option} on {what}: {Errno.Describe(errno)}", what, errno);
        }
    }

    private static bool TrySetInt(Socket socket, int level, int name, int value) => TrySetInt(socket, level, name, value, out _);

    private static bool TrySetInt(Socket socket, int level, int name, int value, out int errno)
    {
        try
        {
            socket.SetRawSocketOption(level, name, new ReadOnlySpan<byte>(&value, sizeof(int)));
            errno = 0;
            return true;
        }
        catch (SocketException e)
        {
            errno = e.NativeErrorCode;
            return false;
        }
    }

    private PacketIOException Broken(int errno, string verb) =>
        new($"cannot {verb} {_label}: {(errno == Errno.EBADF ? "the socket was closed (EBADF)" : Errno.Describe(errno))}", _label, errno);
}
