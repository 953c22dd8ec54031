using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SharpTun.WireGuard.Host;

/// <summary>Turns a configured <c>host:port</c> into an endpoint, as <c>wg</c> does (IPv6 literals in brackets; names resolved, first address taken).</summary>
internal static class EndpointResolver
{
    /// <summary>Resolves <paramref name="text"/>; the error names <paramref name="what"/>, the text and the cause.</summary>
    public static NetEndpoint Resolve(string text, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        string host;
        string portText;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                throw new FormatException($"{what}: '{text}' is not [IPv6]:port");
            }
            host = text[1..close];
            portText = text[(close + 2)..];
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon <= 0 || text.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                throw new FormatException($"{what}: '{text}' is not host:port (write an IPv6 address in brackets: [2001:db8::1]:51820)");
            }
            host = text[..colon];
            portText = text[(colon + 1)..];
        }
        if (!ushort.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port == 0)
        {
            throw new FormatException($"{what}: '{portText}' in '{text}' is not a port number (1-65535)");
        }
        if (IPAddress.TryParse(host, out var literal))
        {
            return NetEndpoint.From(new IPEndPoint(literal, port));
        }
        IPAddress[] addresses;
        try
        {
            addresses = Dns.GetHostAddresses(host);
        }
        catch (SocketException e)
        {
            throw new IOException($"{what}: cannot resolve host '{host}': {e.Message}", e);
        }
        var first = addresses.FirstOrDefault(a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
            ?? throw new IOException($"{what}: host '{host}' has no IPv4 or IPv6 address");
        return NetEndpoint.From(new IPEndPoint(first, port));
    }
}
