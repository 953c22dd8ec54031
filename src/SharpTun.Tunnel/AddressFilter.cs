using System.Net;
using System.Net.Sockets;
using SharpTun.Netlink;

namespace SharpTun.Tunnel;

/// <summary>
/// The server's allow-list of peer prefixes (<c>--allow</c>): empty allows everyone. IPv4-mapped
/// IPv6 addresses (from a dual-stack socket) are matched as IPv4.
/// </summary>
internal sealed class AddressFilter
{
    private readonly IpPrefix[] _prefixes;

    internal AddressFilter(IReadOnlyList<IpPrefix> prefixes)
    {
        _prefixes = [.. prefixes];
    }

    internal bool AllowsAll => _prefixes.Length == 0;

    internal bool Allows(IPAddress address)
    {
        if (_prefixes.Length == 0)
        {
            return true;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        Span<byte> a = stackalloc byte[16];
        Span<byte> p = stackalloc byte[16];
        address.TryWriteBytes(a, out var length);
        foreach (var prefix in _prefixes)
        {
            if (prefix.Address.AddressFamily != address.AddressFamily)
            {
                continue;
            }
            prefix.Address.TryWriteBytes(p, out _);
            if (Matches(a[..length], p[..length], prefix.Length))
            {
                return true;
            }
        }
        return false;
    }

    private static bool Matches(ReadOnlySpan<byte> address, ReadOnlySpan<byte> prefix, int bits)
    {
        var whole = bits / 8;
        if (!address[..whole].SequenceEqual(prefix[..whole]))
        {
            return false;
        }
        var rest = bits % 8;
        if (rest == 0)
        {
            return true;
        }
        var mask = (byte)(0xFF << (8 - rest));
        return (address[whole] & mask) == (prefix[whole] & mask);
    }

    internal static AddressFamily FamilyOf(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? AddressFamily.InterNetwork : address.AddressFamily;
}
