using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace SharpTun.IO;

/// <summary>
/// A peer's UDP address as an allocation-free value (IPv4 or IPv6 address + port). The protocol core
/// only compares and stores it; the transport converts to and from sockets. Default = no endpoint.
/// </summary>
public readonly struct NetEndpoint : IEquatable<NetEndpoint>
{
    private readonly UInt128 _address;
    private readonly ushort _port;
    private readonly byte _family; // 0 none, 4, 6

    private NetEndpoint(UInt128 address, ushort port, byte family)
    {
        _address = address;
        _port = port;
        _family = family;
    }

    /// <summary>True when this holds an address.</summary>
    public bool IsSet => _family != 0;

    /// <summary>True for an IPv6 endpoint.</summary>
    public bool IsIPv6 => _family == 6;

    /// <summary>The UDP port.</summary>
    public ushort Port => _port;

    /// <summary>An endpoint from address bytes (4 or 16) and a port.</summary>
    public static NetEndpoint From(ReadOnlySpan<byte> address, ushort port) => address.Length switch
    {
        4 => new NetEndpoint(BinaryPrimitives.ReadUInt32BigEndian(address), port, 4),
        16 => new NetEndpoint(BinaryPrimitives.ReadUInt128BigEndian(address), port, 6),
        _ => throw new ArgumentException($"an IP address is 4 or 16 bytes, got {address.Length}", nameof(address)),
    };

    /// <summary>An endpoint from an <see cref="IPEndPoint"/>.</summary>
    public static NetEndpoint From(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        Span<byte> bytes = stackalloc byte[16];
        endPoint.Address.TryWriteBytes(bytes, out var n);
        return From(bytes[..n], (ushort)endPoint.Port);
    }

    /// <summary>Writes the address bytes then the big-endian port (the cookie input); returns the length (6 or 18).</summary>
    public int WriteBytes(Span<byte> destination)
    {
        int n;
        if (_family == 4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)_address);
            n = 4;
        }
        else
        {
            BinaryPrimitives.WriteUInt128BigEndian(destination, _address);
            n = 16;
        }
        BinaryPrimitives.WriteUInt16BigEndian(destination[n..], _port);
        return n + 2;
    }

    /// <summary>Writes only the address bytes (4 or 16); returns the length.</summary>
    public int WriteAddress(Span<byte> destination)
    {
        Span<byte> tmp = stackalloc byte[18];
        var n = WriteBytes(tmp) - 2;
        tmp[..n].CopyTo(destination);
        return n;
    }

    /// <summary>Converts to an <see cref="IPEndPoint"/> (allocates).</summary>
    public IPEndPoint ToIPEndPoint()
    {
        if (!IsSet)
        {
            throw new InvalidOperationException("the endpoint is not set");
        }
        Span<byte> bytes = stackalloc byte[16];
        var n = WriteAddress(bytes);
        return new IPEndPoint(new IPAddress(bytes[..n]), _port);
    }

    /// <summary>The address family.</summary>
    public AddressFamily AddressFamily => _family == 6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;

    /// <inheritdoc/>
    public bool Equals(NetEndpoint other) => _address == other._address && _port == other._port && _family == other._family;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is NetEndpoint e && Equals(e);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_address, _port, _family);

    /// <summary>Equality.</summary>
    public static bool operator ==(NetEndpoint a, NetEndpoint b) => a.Equals(b);

    /// <summary>Inequality.</summary>
    public static bool operator !=(NetEndpoint a, NetEndpoint b) => !a.Equals(b);

    /// <inheritdoc/>
    public override string ToString() => IsSet ? ToIPEndPoint().ToString() : "(none)";
}
