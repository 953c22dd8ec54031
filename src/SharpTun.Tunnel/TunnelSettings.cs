using System.Net;

namespace SharpTun.Tunnel;

/// <summary>One endpoint's network settings: server or client, where, and over what.</summary>
public sealed record TunnelSettings
{
    /// <summary>Listen (server) rather than connect (client).</summary>
    public bool IsServer { get; init; }

    /// <summary>The server's host name or address (client only).</summary>
    public string? Server { get; init; }

    /// <summary>The port; 55555 like simpletun.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>TCP (simpletun framing) or UDP.</summary>
    public TransportKind Transport { get; init; } = TransportKind.Tcp;

    /// <summary>UDP client keepalive interval.</summary>
    public TimeSpan Keepalive { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>simpletun's default port.</summary>
    public const int DefaultPort = 55555;

    /// <summary>The endpoint to listen on or connect to.</summary>
    public EndPoint ResolveEndPoint()
    {
        if (Port is < 1 or > 65535)
        {
            throw new ArgumentException($"invalid port {Port}: must be 1..65535");
        }
        if (IsServer)
        {
            return new IPEndPoint(IPAddress.IPv6Any, Port);
        }
        if (string.IsNullOrWhiteSpace(Server))
        {
            throw new ArgumentException("a client needs the server's address");
        }
        return IPAddress.TryParse(Server, out var address) ? new IPEndPoint(address, Port) : new DnsEndPoint(Server, Port);
    }

    /// <summary>Builds the transport for <paramref name="device"/>.</summary>
    public ITransport CreateTransport(IPacketDevice device, RelayBuffers buffers, TunnelCounters counters, TunnelLog log, SocketFactory? sockets = null)
    {
        var endPoint = ResolveEndPoint();
        return Transport switch
        {
            TransportKind.Tcp when IsServer => new TcpServerTransport((IPEndPoint)endPoint, buffers, counters, log, sockets),
            TransportKind.Tcp => new TcpClientTransport(endPoint, buffers, counters, log, sockets),
            _ => new UdpTransport(endPoint, IsServer, device, buffers, counters, log, Keepalive, sockets),
        };
    }
}
