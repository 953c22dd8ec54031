using System.Net;
using System.Net.Sockets;

namespace SharpTun.WireGuard;

/// <summary>
/// A peer endpoint as written in a config: a host (numeric address or a name, kept unresolved — the
/// host resolves names when it brings the interface up) and a port.
/// </summary>
/// <param name="Host">The address or host name, without brackets.</param>
/// <param name="Port">The UDP port (1..65535).</param>
public readonly record struct ConfigEndpoint(string Host, ushort Port)
{
    /// <summary>The numeric address when <see cref="Host"/> is one, else null (a name to resolve).</summary>
    public IPAddress? Address => WireGuardSyntax.TryParseAddress(Host, out var a) ? a : null;

    /// <summary>The endpoint as a value, when <see cref="Host"/> is numeric.</summary>
    public NetEndpoint? NumericEndpoint => Address is { } a ? NetEndpoint.From(new IPEndPoint(a, Port)) : null;

    /// <summary><c>HOST:PORT</c>, with brackets around an IPv6 address, as <c>wg</c> writes it.</summary>
    public override string ToString() =>
        Address is { AddressFamily: AddressFamily.InterNetworkV6 } ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
