using System.Globalization;
using System.Text;
using static SharpTun.WireGuard.WireGuardSyntax;

namespace SharpTun.WireGuard;

/// <summary>
/// The cross-platform userspace API text protocol (wireguard.com/xplatform), as wireguard-go
/// serves it on <c>/var/run/wireguard/NAME.sock</c> and <c>wg</c> speaks it. Requests are
/// <c>get=1\n\n</c> and <c>set=1\n</c> + <c>key=value\n</c> lines + an empty line; every
/// request ends at the first <c>\n\n</c>. The answer is the <c>get</c> lines (if any) then
/// <see cref="FormatStatus"/>. Keys are 64-digit hex, endpoints numeric. Pure: no I/O.
/// </summary>
public static partial class UapiCodec
{
    /// <summary>The whole <c>get</c> request.</summary>
    public const string GetRequest = "get=1\n\n";

    /// <summary>The first line of a <c>set</c> request, with its newline.</summary>
    public const string SetHeader = "set=1\n";

    /// <summary>
    /// Parses a whole <c>set=1</c> request (from <c>set=1\n</c> through the terminating empty line)
    /// with every value checked. Throws <see cref="UapiException"/> (with the errno to answer) for the
    /// first problem; then nothing was produced, so nothing must be applied.
    /// </summary>
    public static UapiSetRequest ParseSet(string request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.StartsWith(SetHeader, StringComparison.Ordinal))
        {
            throw new UapiException(UapiErrno.Protocol, $"UAPI set: the request does not start with 'set=1' ({Quote(FirstLine(request))})", line: 1);
        }
        var end = request.IndexOf("\n\n", SetHeader.Length - 1, StringComparison.Ordinal);
        if (end < 0)
        {
            throw new UapiException(UapiErrno.Protocol, "UAPI set: the request is not terminated by an empty line");
        }
        if (end + 2 != request.Length)
        {
            throw new UapiException(UapiErrno.Protocol, "UAPI set: text follows the empty line that ends the request");
        }
        var result = new UapiSetRequest();
        UapiPeerChange? peer = null;
        var body = end < SetHeader.Length ? ReadOnlySpan<char>.Empty : request.AsSpan(SetHeader.Length, end + 1 - SetHeader.Length);
        var lineNumber = 1;
        foreach (var range in body.Split('\n'))
        {
            var line = body[range];
            lineNumber++;
            if (range.Start.Value == body.Length)
            {
                break; // the split's empty tail after the last newline
            }
            var eq = line.IndexOf('=');
            if (eq < 0)
            {
                throw new UapiException(UapiErrno.Protocol, $"UAPI set, line {lineNumber}: {Quote(line)} is not key=value", line: lineNumber);
            }
            var key = line[..eq].ToString();
            var value = line[(eq + 1)..];
            if (key == "public_key")
            {
                peer = new UapiPeerChange(Key(value, key, lineNumber));
                result.Peers.Add(peer);
            }
            else if (peer is null)
            {
                SetDeviceKey(result, key, value, lineNumber);
            }
            else
            {
                SetPeerKey(peer, key, value, lineNumber);
            }
        }
        return result;
    }

    /// <summary><see cref="ParseSet"/> without the exception: false and the error when the request is unusable.</summary>
    public static bool TryParseSet(string request, out UapiSetRequest? result, out UapiException? error)
    {
        try
        {
            result = ParseSet(request);
            error = null;
            return true;
        }
        catch (UapiException e)
        {
            result = null;
            error = e;
            return false;
        }
    }

    /// <summary>Writes a <c>set=1</c> request (what <c>wg set</c>/<c>wg setconf</c> send), ending with the empty line.</summary>
    public static string FormatSet(UapiSetRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sb = new StringBuilder(SetHeader);
        if (request.PrivateKey is { } sk)
        {
            Line(sb, "private_key", ToHex(sk));
        }
        if (request.ListenPort is { } port)
        {
            Line(sb, "listen_port", Num(port));
        }
        if (request.FwMark is { } mark)
        {
            Line(sb, "fwmark", Num(mark));
        }
        if (request.ReplacePeers)
        {
            Line(sb, "replace_peers", "true");
        }
        foreach (var p in request.Peers)
        {
            Line(sb, "public_key", ToHex(p.PublicKey));
            if (p.Remove)
            {
                Line(sb, "remove", "true");
            }
            if (p.UpdateOnly)
            {
                Line(sb, "update_only", "true");
            }
            if (p.PresharedKey is { } psk)
            {
                Line(sb, "preshared_key", ToHex(psk));
            }
            if (p.Endpoint is { IsSet: true } ep)
            {
                Line(sb, "endpoint", FormatEndpoint(ep));
            }
            if (p.PersistentKeepaliveInterval is { } ka)
            {
                Line(sb, "persistent_keepalive_interval", Num(ka));
            }
            if (p.ReplaceAllowedIps)
            {
                Line(sb, "replace_allowed_ips", "true");
            }
            foreach (var net in p.AllowedIps)
            {
                Line(sb, "allowed_ip", net.ToString());
            }
        }
        return sb.Append('\n').ToString();
    }

    /// <summary>
    /// The status that ends every answer: <c>errno=0\n\n</c>, or the negated errno as wireguard-go
    /// writes it (<c>errno=-22\n\n</c>), which <c>wg</c> reports as "Invalid argument".
    /// </summary>
    public static string FormatStatus(int errno) => errno == 0 ? "errno=0\n\n" : $"errno={Num(-(long)Math.Abs(errno))}\n\n";

    private static void SetDeviceKey(UapiSetRequest r, string key, ReadOnlySpan<char> value, int line)
    {
        switch (key)
        {
            case "private_key":
                r.PrivateKey = Key(value, key, line);
                break;
            case "listen_port":
                r.ListenPort = (ushort)Number(value, ushort.MaxValue, key, line, "a port number (0-65535)");
                break;
            case "fwmark":
                r.FwMark = (uint)Number(value, uint.MaxValue, key, line, "a fwmark (0-4294967295)");
                break;
            case "replace_peers":
                r.ReplacePeers = True(value, key, line);
                break;
            case "remove" or "update_only" or "preshared_key" or "endpoint" or "persistent_keepalive_interval"
                or "replace_allowed_ips" or "allowed_ip" or "protocol_version":
                throw Invalid(line, key, $"'{key}' is a peer key but no public_key line came before it");
            default:
                throw Invalid(line, key, $"unknown device key '{key}'");
        }
    }

    private static void SetPeerKey(UapiPeerChange p, string key, ReadOnlySpan<char> value, int line)
    {
        switch (key)
        {
            case "remove":
                p.Remove = True(value, key, line);
                break;
            case "update_only":
                p.UpdateOnly = True(value, key, line);
                break;
            case "preshared_key":
                p.PresharedKey = Key(value, key, line);
                break;
            case "endpoint":
                p.Endpoint = TryParseEndpoint(value, out var ep) ? ep
                    : throw Invalid(line, key, $"{Quote(value)} is not an endpoint (A.B.C.D:PORT or [IPV6]:PORT, numeric)");
                break;
            case "persistent_keepalive_interval":
                p.PersistentKeepaliveInterval = (ushort)Number(value, ushort.MaxValue, key, line, "an interval in seconds (0-65535)");
                break;
            case "replace_allowed_ips":
                p.ReplaceAllowedIps = True(value, key, line);
                p.AllowedIps.Clear(); // replacing after some allowed_ip lines removes those too, as applied in order
                break;
            case "allowed_ip":
                p.AllowedIps.Add(TryParsePrefix(value, lengthOptional: false, out var address, out var length)
                    ? ToNetwork(address, length)
                    : throw Invalid(line, key, $"{Quote(value)} is not an IP prefix (ADDRESS/LENGTH)"));
                break;
            case "protocol_version":
                if (!value.SequenceEqual("1"))
                {
                    throw Invalid(line, key, $"{Quote(value)} is not a supported protocol version (only 1)");
                }
                break;
            case "private_key" or "listen_port" or "fwmark" or "replace_peers":
                throw Invalid(line, key, $"'{key}' is a device key and must come before the first public_key");
            default:
                throw Invalid(line, key, $"unknown peer key '{key}'");
        }
    }

    private static byte[] Key(ReadOnlySpan<char> value, string key, int line) =>
        TryParseHexKey(value, out var k) ? k : throw Invalid(line, key, $"{Quote(value)} is not a key (64 hex digits)");

    private static ulong Number(ReadOnlySpan<char> value, ulong max, string key, int line, string what) =>
        TryParseDecimal(value, max, out var v) ? v : throw Invalid(line, key, $"{Quote(value)} is not {what}");

    private static bool True(ReadOnlySpan<char> value, string key, int line) =>
        value.SequenceEqual("true") ? true : throw Invalid(line, key, $"{Quote(value)} is not allowed (the only value is 'true')");

    private static UapiException Invalid(int line, string key, string what) =>
        new(UapiErrno.Invalid, $"UAPI set, line {line}: {key}: {what}", key, line);

    private static void Line(StringBuilder sb, string key, string value) => sb.Append(key).Append('=').Append(value).Append('\n');

    private static string Num(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static string FirstLine(string s)
    {
        var nl = s.IndexOf('\n');
        return nl < 0 ? s : s[..nl];
    }
}
