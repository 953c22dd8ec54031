using System.Buffers.Binary;
using System.Globalization;

namespace SharpTun.Packets;

/// <summary>A 48-bit Ethernet address held in a <see cref="ulong"/> (no allocation); formats as <c>aa:bb:cc:dd:ee:ff</c>.</summary>
public readonly struct MacAddress : IEquatable<MacAddress>
{
    private readonly ulong _value;

    /// <summary>ff:ff:ff:ff:ff:ff.</summary>
    public static MacAddress Broadcast { get; } = new(0xFFFF_FFFF_FFFFUL);

    /// <summary>The address as the low 48 bits of a number (first byte most significant).</summary>
    public ulong Value => _value;

    /// <summary>Creates an address from the low 48 bits of <paramref name="value"/>.</summary>
    public MacAddress(ulong value) => _value = value & 0xFFFF_FFFF_FFFFUL;

    /// <summary>Reads 6 bytes.</summary>
    public MacAddress(ReadOnlySpan<byte> bytes)
        : this(((ulong)BinaryPrimitives.ReadUInt16BigEndian(bytes) << 32) | BinaryPrimitives.ReadUInt32BigEndian(bytes[2..]))
    {
    }

    /// <summary>Group bit (I/G) set: multicast or broadcast.</summary>
    public bool IsMulticast => (_value & 0x0100_0000_0000UL) != 0;

    /// <summary>The broadcast address.</summary>
    public bool IsBroadcast => _value == 0xFFFF_FFFF_FFFFUL;

    /// <summary>U/L bit set: locally administered.</summary>
    public bool IsLocallyAdministered => (_value & 0x0200_0000_0000UL) != 0;

    /// <summary>Writes the 6 bytes.</summary>
    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(_value >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], (uint)_value);
    }

    /// <summary>The IPv6 multicast MAC 33:33:xx:xx:xx:xx for a group address (RFC 2464 §7).</summary>
    public static MacAddress ForIpv6Multicast(ReadOnlySpan<byte> ipv6Group) =>
        new(0x3333_0000_0000UL | BinaryPrimitives.ReadUInt32BigEndian(ipv6Group[12..]));

    /// <summary>Formats as lower-case <c>aa:bb:cc:dd:ee:ff</c> (17 characters).</summary>
    public bool TryFormat(Span<char> destination, out int written)
    {
        written = 0;
        if (destination.Length < 17)
        {
            return false;
        }
        const string hex = "0123456789abcdef";
        for (var i = 0; i < 6; i++)
        {
            var b = (int)(_value >> (40 - (8 * i))) & 0xFF;
            destination[written++] = hex[b >> 4];
            destination[written++] = hex[b & 0xF];
            if (i < 5)
            {
                destination[written++] = ':';
            }
        }
        return true;
    }

    /// <summary>Parses <c>aa:bb:cc:dd:ee:ff</c> or <c>aa-bb-…</c>.</summary>
    public static bool TryParse(string? text, out MacAddress address)
    {
        address = default;
        if (text is null || text.Length != 17)
        {
            return false;
        }
        ulong v = 0;
        for (var i = 0; i < 6; i++)
        {
            if (i > 0 && text[(3 * i) - 1] is not (':' or '-'))
            {
                return false;
            }
            if (!byte.TryParse(text.AsSpan(3 * i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                return false;
            }
            v = (v << 8) | b;
        }
        address = new MacAddress(v);
        return true;
    }

    /// <summary>Parses or throws <see cref="FormatException"/> naming the text.</summary>
    public static MacAddress Parse(string text) =>
        TryParse(text, out var a) ? a : throw new FormatException($"invalid MAC address '{text}': expected six hex bytes like 02:00:5e:10:00:01");

    /// <inheritdoc/>
    public override string ToString()
    {
        Span<char> s = stackalloc char[17];
        TryFormat(s, out _);
        return new string(s);
    }

    /// <inheritdoc/>
    public bool Equals(MacAddress other) => _value == other._value;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is MacAddress m && Equals(m);

    /// <inheritdoc/>
    public override int GetHashCode() => _value.GetHashCode();

    /// <summary>Same address.</summary>
    public static bool operator ==(MacAddress left, MacAddress right) => left.Equals(right);

    /// <summary>Different address.</summary>
    public static bool operator !=(MacAddress left, MacAddress right) => !left.Equals(right);
}
