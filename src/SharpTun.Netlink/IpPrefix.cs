using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SharpTun.Netlink;

/// <summary>
/// An address with a prefix length, as <c>ip</c> writes it: <c>10.0.0.1/24</c>, <c>2001:db8::1/64</c>.
/// Host bits may be set (it names an interface address, not only a network).
/// </summary>
public readonly record struct IpPrefix
{
    /// <summary>The address.</summary>
    public IPAddress Address { get; }

    /// <summary>Prefix length in bits: 0..32 for IPv4, 0..128 for IPv6.</summary>
    public int Length { get; }

    /// <summary>Creates the prefix; throws <see cref="ArgumentException"/> when the length is out of range.</summary>
    public IpPrefix(IPAddress address, int length)
    {
        ArgumentNullException.ThrowIfNull(address);
        var max = MaxLength(address);
        if (length < 0 || length > max)
        {
            throw new ArgumentException($"invalid prefix length {length} for {address}: {Family(address)} allows 0..{max}");
        }
        Address = address;
        Length = length;
    }

    /// <summary>True for IPv4.</summary>
    public bool IsIPv4 => Address.AddressFamily == AddressFamily.InterNetwork;

    /// <summary>Parses <c>ADDR[/LEN]</c>; without a length the prefix is a host (32 or 128).</summary>
    public static IpPrefix Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slash = text.IndexOf('/');
        var addrText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addrText, out var address) || addrText.Length == 0 || (address.AddressFamily == AddressFamily.InterNetwork && addrText.Count(c => c == '.') != 3))
        {
            throw new ArgumentException($"invalid address '{addrText}' in '{text}'");
        }
        if (slash < 0)
        {
            return new IpPrefix(address, MaxLength(address));
        }
        if (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            throw new ArgumentException($"invalid prefix length '{text[(slash + 1)..]}' in '{text}'");
        }
        return new IpPrefix(address, length);
    }

    /// <summary>
    /// Parses a prefix as iproute2's get_prefix reads it: IPv4 may have fewer than four parts, filled
    /// from the left (<c>10/8</c> = 10.0.0.0/8, <c>198.18.1/24</c> = 198.18.1.0/24); IPv6 as usual.
    /// </summary>
    public static IpPrefix ParseIproute2(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var slash = text.IndexOf('/');
        var addrText = slash < 0 ? text : text[..slash];
        var address = TryParseIproute2Address(addrText) ?? throw new ArgumentException($"invalid address '{addrText}' in '{text}'");
        if (slash < 0)
        {
            return new IpPrefix(address, MaxLength(address));
        }
        if (!int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            throw new ArgumentException($"invalid prefix length '{text[(slash + 1)..]}' in '{text}'");
        }
        return new IpPrefix(address, length);
    }

    /// <summary>An address as iproute2's get_addr reads it (<c>1.2.3</c> = 1.2.3.0), or null.</summary>
    public static IPAddress? TryParseIproute2Address(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Contains(':'))
        {
            return IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 ? v6 : null;
        }
        var parts = text.Split('.');
        if (parts.Length is < 1 or > 4)
        {
            return null;
        }
        var bytes = new byte[4];
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length is < 1 or > 3 || !byte.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return null;
            }
        }
        return new IPAddress(bytes);
    }

    /// <summary>The network: the address with host bits cleared.</summary>
    public IPAddress Network => Mask(Address, Length, setHostBits: false);

    /// <summary>The directed broadcast (host bits set), what <c>brd +</c> derives; IPv4 only.</summary>
    public IPAddress BroadcastAddress => Mask(Address, Length, setHostBits: true);

    /// <summary><c>ADDR/LEN</c>.</summary>
    public override string ToString() => $"{Address}/{Length}";

    internal static int MaxLength(IPAddress a) => a.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;

    private static string Family(IPAddress a) => a.AddressFamily == AddressFamily.InterNetwork ? "IPv4" : "IPv6";

    private static IPAddress Mask(IPAddress address, int length, bool setHostBits)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var bitsHere = Math.Clamp(length - (i * 8), 0, 8);
            var netMask = (byte)(0xff << (8 - bitsHere));
            bytes[i] = setHostBits ? (byte)(bytes[i] | ~netMask) : (byte)(bytes[i] & netMask);
        }
        return new IPAddress(bytes);
    }
}
