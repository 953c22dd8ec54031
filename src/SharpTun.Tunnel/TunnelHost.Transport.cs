using System.Net;
using System.Net.Sockets;
using SharpTun.IO;
using SharpTun.Linux.Namespaces;
using SharpTun.Linux.Net;
using SharpTun.Linux.Tun;

namespace SharpTun.Tunnel;

// Building the transport from the settings: sockets are created inside the settings' namespace.
public sealed partial class TunnelHost
{
    private static (IRelayTransport Transport, IPEndPoint? Local) CreateTransport(TunnelSettings settings, IPEndPoint[] servers, TunDevice device,
        int wirePacket, TunnelCounters counters, EventLimiter events)
    {
        var batch = Relay.SendBatch(device);
        var ns = settings.NetworkNamespace;
        T InNs<T>(Func<T> f) => ns is null ? f() : NetNamespace.Run(ns, f);
        var allow = new AddressFilter(settings.Allow);
        var listen = new IPEndPoint(settings.Listen ?? IPAddress.IPv6Any, settings.Port);
        if (settings.Transport == TransportKind.Tcp)
        {
            var buffers = new TcpBuffers(wirePacket, batch);
            if (settings.IsServer)
            {
                var listener = InNs(() => TcpServerTransport.Listen(new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp), listen));
                var policy = new TcpPolicy
                {
                    FirstFrameTimeout = settings.FirstFrameTimeout,
                    IdleTimeout = settings.IdleTimeout,
                    ReplaceAfter = settings.Keepalive,
                };
                var server = new TcpServerTransport(listener, buffers, counters, events, allow, policy);
                return (server, server.LocalEndPoint);
            }
            Socket NewSocket(AddressFamily family) => InNs(() => new Socket(family, SocketType.Stream, ProtocolType.Tcp));
            return (new TcpClientTransport(servers, NewSocket, buffers, counters, events), null);
        }
        // The client binds [::]:0 too: one dual-stack socket, where an IPv4 server appears as an IPv4 endpoint.
        var bind = InNs(() => OpenBind(settings.IsServer ? settings.Listen : null, settings.IsServer ? settings.Port : 0));
        try
        {
            var port = bind.LocalPort;
            var description = settings.IsServer
                ? $"UDP server on {TcpConnection.Describe(new IPEndPoint(listen.Address, port))}"
                : $"UDP client of {TcpConnection.Describe(servers[0])} (keepalive every {settings.Keepalive.TotalSeconds:0.#} s)";
            DatagramEndpoint? server = settings.IsServer ? null : new DatagramEndpoint(NetEndpoint.From(servers[0]));
            var policy = new UdpPeerPolicy(allow, settings.Peer, settings.Keepalive);
            var transport = new UdpTransport(bind, server, wirePacket, device.IsEthernet, batch, counters, events, policy,
                settings.Keepalive, description);
            return (transport, settings.IsServer ? new IPEndPoint(listen.Address, port) : null);
        }
        catch
        {
            bind.Dispose();
            throw;
        }
    }

    private static UdpBind OpenBind(IPAddress? address, int port)
    {
        try
        {
            // UDP_GRO: a UDP GSO send from the peer arrives as one coalesced message (one skb through
            // the stack, not 64), split into datagrams by the bind. What did not fit one receive waits
            // inside the bind, where the relay's epoll set cannot see it: the relay asks HasPending
            // before it waits.
            return UdpBind.Open(new UdpBindOptions { Address = address, Port = (ushort)port, Gro = true });
        }
        catch (PacketIOException e)
        {
            throw new TunnelException(e.Message, TunnelFailure.CannotListen, e);
        }
    }

    // The server's name resolves once, at start: a name that does not resolve is an error, not a retry loop.
    private static IPEndPoint[] ResolveServer(string server, int port)
    {
        if (IPAddress.TryParse(server, out var address))
        {
            return [new IPEndPoint(address, port)];
        }
        IPAddress[] addresses;
        try
        {
            addresses = Dns.GetHostAddresses(server);
        }
        catch (SocketException e)
        {
            throw new TunnelException($"cannot resolve server '{server}': {SocketWords.Describe(e.SocketErrorCode)}", TunnelFailure.CannotResolve, e);
        }
        if (addresses.Length == 0)
        {
            throw new TunnelException($"cannot resolve server '{server}': the name has no address", TunnelFailure.CannotResolve);
        }
        return [.. addresses.Select(a => new IPEndPoint(a, port))];
    }
}
