using System.Net.Sockets;

namespace SharpTun.Tunnel;

/// <summary>Creates sockets; the lab passes one that creates them inside a network namespace.</summary>
public delegate Socket SocketFactory(AddressFamily family, SocketType type, ProtocolType protocol);

/// <summary>Default socket creation (in the caller's network namespace).</summary>
public static class Sockets
{
    /// <summary>Creates a socket in the current network namespace.</summary>
    public static Socket Create(AddressFamily family, SocketType type, ProtocolType protocol) => new(family, type, protocol);
}
