using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SharpTun.Packets;

/// <summary>
/// <c>[src|dst] net PREFIX</c> of <see cref="PacketFilter"/>: an IPv4 or IPv6 prefix that IP source/destination
/// (and ARP sender/target) addresses are tested against, read as tcpdump reads it: <c>198.18.0.0/15</c>,
/// <c>2001:db8::/32</c>, <c>198.18</c> (8 bits per byte given), <c>10.0.0.0 mask 255.0.0.0</c>. Bits set
/// past the prefix length are an error ("non-network bits set"), as in tcpdump. Matching never allocates.
/// </summary>
internal sealed class NetNode : PacketFilter.FilterNode
{
    private readonly byte[] _network;
    private readonly int _length;
    private readonly PacketFilter.Direction _direction;

    private NetNode(byte[] network, int length, PacketFilter.Direction direction)
    {
        _network = network;
        _length = length;
        _direction = direction;
    }

    internal static NetNode Parse(string prefix, string? mask, PacketFilter.Direction direction, Func<string, FormatException> error)
    {
        var slash = prefix.IndexOf('/', StringComparison.Ordinal);
        var address = slash < 0 ? prefix : prefix[..slash];
        byte[] bytes;
        int length;
        if (address.Contains(':', StringComparison.Ordinal))
        {
            if (!IPAddress.TryParse(address, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6 || mask is not null)
            {
                throw error($"'{prefix}' is not an IPv6 prefix");
            }
            bytes = v6.GetAddressBytes();
            length = 128;
        }
        else
        {
            // tcpdump's partial form: "198.18" is 198.18.0.0/16, "10" is 10.0.0.0/8.
            var parts = address.Split('.');
            if (parts.Length > 4)
            {
                throw error($"'{prefix}' is not an IPv4 prefix");
            }
            bytes = new byte[4];
            for (var i = 0; i < parts.Length; i++)
            {
                if (!byte.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i]))
                {
                    throw error($"'{prefix}' is not an IPv4 prefix");
                }
            }
            length = 8 * parts.Length;
        }
        if (slash >= 0)
        {
            if (mask is not null)
            {
                throw error($"'{prefix}' has both a length and a mask");
            }
            if (!int.TryParse(prefix.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > bytes.Length * 8)
            {
                throw error($"invalid prefix length in '{prefix}' (0-{bytes.Length * 8})");
            }
        }
        else if (mask is not null)
        {
            length = MaskLength(mask) ?? throw error($"'{mask}' is not a contiguous IPv4 netmask");
        }
        for (var bit = length; bit < bytes.Length * 8; bit++)
        {
            if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0)
            {
                throw error($"non-network bits set in '{prefix}{(mask is null ? "" : " mask " + mask)}'");
            }
        }
        return new NetNode(bytes, length, direction);
    }

    private static int? MaskLength(string mask)
    {
        if (!IPAddress.TryParse(mask, out var m) || m.AddressFamily != AddressFamily.InterNetwork)
        {
            return null;
        }
        var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(m.GetAddressBytes());
        var length = System.Numerics.BitOperations.LeadingZeroCount(~value);
        return length == 32 || value << length == 0 ? length : null;
    }

    public override bool Matches(scoped in DecodedPacket p)
    {
        Endpoints(p, out var source, out var destination);
        return (_direction != PacketFilter.Direction.Destination && InNet(source))
            || (_direction != PacketFilter.Direction.Source && InNet(destination));
    }

    private bool InNet(ReadOnlySpan<byte> address)
    {
        if (address.Length != _network.Length)
        {
            return false;
        }
        var whole = _length / 8;
        if (!address[..whole].SequenceEqual(_network.AsSpan(0, whole)))
        {
            return false;
        }
        var rest = _length % 8;
        return rest == 0 || ((address[whole] ^ _network[whole]) & (0xFF << (8 - rest)) & 0xFF) == 0;
    }
}
