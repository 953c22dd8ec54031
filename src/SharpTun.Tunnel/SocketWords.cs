using System.Net.Sockets;

namespace SharpTun.Tunnel;

/// <summary>Socket errors in words for users (not .NET's enum names).</summary>
internal static class SocketWords
{
    internal static string Describe(SocketError error) => error switch
    {
        SocketError.AddressAlreadyInUse => "the address is already in use",
        SocketError.AddressNotAvailable => "the address is not on any local interface",
        SocketError.AccessDenied => "permission denied",
        SocketError.ConnectionRefused => "connection refused (nothing listening there)",
        SocketError.ConnectionReset => "connection reset by the peer",
        SocketError.ConnectionAborted => "connection aborted",
        SocketError.TimedOut => "timed out",
        SocketError.HostUnreachable => "host unreachable",
        SocketError.NetworkUnreachable => "network unreachable (no route)",
        SocketError.HostNotFound => "no such host",
        SocketError.TryAgain => "the name server did not answer",
        SocketError.NoData => "the name has no address",
        SocketError.AddressFamilyNotSupported => "address family not supported",
        _ => error.ToString().ToLowerInvariant(),
    };
}
