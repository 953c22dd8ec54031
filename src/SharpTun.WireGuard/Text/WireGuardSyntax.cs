using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SharpTun.WireGuard;

/// <summary>
/// The strict value syntaxes shared by the UAPI codec and the wg-quick parser: dotted-quad IPv4 as
/// inet_pton(3) takes it (four decimal octets, no leading zeros, nothing else — .NET's own parser
/// would also take "10" or "0x0a.1"), IPv6 without scope or brackets, prefixes, numeric
/// endpoints, 64-digit hex keys, unsigned decimals.
/// </summary>
internal static class WireGuardSyntax
{
    /// <summary>Parses a plain decimal (digits only, no sign or spaces) up to <paramref name="max"/>.</summary>
    internal static bool TryParseDecimal(ReadOnlySpan<char> text, ulong max, out ulong value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > 20)
        {
            return false;
        }
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= max;
    }

    /// <summary>An IPv4 address in four decimal octets or an IPv6 address (no zone, no brackets).</summary>
    internal static bool TryParseAddress(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.IndexOf(':') < 0)
        {
            return TryParseIPv4(text, out address);
        }
        foreach (var c in text)
        {
            if (!(char.IsAsciiHexDigit(c) || c is ':' or '.'))
            {
                return false;
            }
        }
        if (!IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }
        var dot = text.IndexOf('.');
        if (dot >= 0 && !TryParseIPv4(text[(text.LastIndexOf(':') + 1)..], out _))
        {
            return false;
        }
        address = parsed;
        return true;
    }

    private static bool TryParseIPv4(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.None;
        Span<byte> bytes = stackalloc byte[4];
        var part = 0;
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] != '.')
            {
                continue;
            }
            var octet = text[start..i];
            if (part == 4 || octet.IsEmpty || octet.Length > 3 || (octet.Length > 1 && octet[0] == '0')
                || !TryParseDecimal(octet, 255, out var v))
            {
                return false;
            }
            bytes[part++] = (byte)v;
            start = i + 1;
        }
        if (part != 4)
        {
            return false;
        }
        address = new IPAddress(bytes);
        return true;
    }

    /// <summary>
    /// <c>ADDR/LEN</c>; without a length (when <paramref name="lengthOptional"/>) the prefix is one host.
    /// Host bits are kept: <see cref="ToNetwork"/> clears them.
    /// </summary>
    internal static bool TryParsePrefix(ReadOnlySpan<char> text, bool lengthOptional, out IPAddress address, out int length)
    {
        length = 0;
        var slash = text.IndexOf('/');
        if (!TryParseAddress(slash < 0 ? text : text[..slash], out address))
        {
            return false;
        }
        var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (slash < 0)
        {
            length = max;
            return lengthOptional;
        }
        var lenText = text[(slash + 1)..];
        if (lenText.Length > 3 || (lenText.Length > 1 && lenText[0] == '0') || !TryParseDecimal(lenText, (ulong)max, out var len))
        {
            return false;
        }
        length = (int)len;
        return true;
    }

    /// <summary>The network of an address and prefix length (host bits cleared).</summary>
    internal static IPNetwork ToNetwork(IPAddress address, int length)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var bits = Math.Clamp(length - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xff << (8 - bits));
        }
        return new IPNetwork(new IPAddress(bytes), length);
    }

    /// <summary>Splits <c>HOST:PORT</c> or <c>[V6]:PORT</c>; the host is returned without brackets.</summary>
    internal static bool TrySplitHostPort(ReadOnlySpan<char> text, out ReadOnlySpan<char> host, out ushort port, out bool bracketed)
    {
        host = default;
        port = 0;
        bracketed = false;
        int colon;
        if (text.StartsWith("["))
        {
            var close = text.IndexOf(']');
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                return false;
            }
            host = text[1..close];
            colon = close + 1;
            bracketed = true;
        }
        else
        {
            colon = text.LastIndexOf(':');
            if (colon < 0 || text[..colon].IndexOf(':') >= 0)
            {
                return false;
            }
            host = text[..colon];
        }
        if (host.IsEmpty || !TryParseDecimal(text[(colon + 1)..], ushort.MaxValue, out var p) || p == 0)
        {
            return false;
        }
        port = (ushort)p;
        return true;
    }

    /// <summary>A numeric endpoint: <c>A.B.C.D:PORT</c> or <c>[V6]:PORT</c> (port 1..65535).</summary>
    internal static bool TryParseEndpoint(ReadOnlySpan<char> text, out NetEndpoint endpoint)
    {
        endpoint = default;
        if (!TrySplitHostPort(text, out var host, out var port, out var bracketed) || !TryParseAddress(host, out var address)
            || bracketed != (address.AddressFamily == AddressFamily.InterNetworkV6))
        {
            return false;
        }
        endpoint = NetEndpoint.From(new IPEndPoint(address, port));
        return true;
    }

    /// <summary>64 hex digits (either case) into 32 bytes.</summary>
    internal static bool TryParseHexKey(ReadOnlySpan<char> text, out byte[] key)
    {
        key = [];
        if (text.Length != 2 * WireGuardKeys.KeySize)
        {
            return false;
        }
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }
        key = Convert.FromHexString(text);
        return true;
    }

    /// <summary>Lower-case hex, as wireguard-go writes keys.</summary>
    internal static string ToHex(ReadOnlySpan<byte> key) => Convert.ToHexStringLower(key);

    /// <summary>An endpoint as UAPI and <c>wg</c> print it: <c>1.2.3.4:51820</c>, <c>[2001:db8::1]:51820</c>.</summary>
    internal static string FormatEndpoint(in NetEndpoint endpoint) => endpoint.ToIPEndPoint().ToString();

    /// <summary>A value shortened for an error message (at most 64 characters).</summary>
    internal static string Quote(ReadOnlySpan<char> value) => value.Length <= 64 ? $"'{value}'" : $"'{value[..61]}...'";
}
