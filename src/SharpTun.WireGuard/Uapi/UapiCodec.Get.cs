using System.Text;
using static SharpTun.WireGuard.WireGuardSyntax;

namespace SharpTun.WireGuard;

public static partial class UapiCodec
{
    private const long NanosPerTick = 100;

    /// <summary>
    /// The whole answer to <c>get=1</c>: the device lines (private_key, listen_port, fwmark — each only
    /// when set), per peer public_key, preshared_key (zeros for none), protocol_version=1, endpoint (when
    /// known), last_handshake_time_sec/nsec (Unix time; 0 = never), tx_bytes, rx_bytes,
    /// persistent_keepalive_interval, allowed_ip lines; then <c>errno=0</c> and the empty line.
    /// </summary>
    public static string FormatGet(UapiDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var sb = new StringBuilder();
        AppendGetDevice(sb, device);
        foreach (var p in device.Peers)
        {
            AppendGetPeer(sb, p);
        }
        return sb.Append(FormatStatus(0)).ToString();
    }

    /// <summary>
    /// The device lines of a <c>get=1</c> answer (private_key, listen_port, fwmark — each only when set), without
    /// its peers and the errno line: with <c>AppendGetPeer</c> and <see cref="FormatStatus"/> an answer
    /// can be written out piece by piece (a UAPI server streaming 100,000 peers).
    /// </summary>
    public static void AppendGetDevice(StringBuilder sb, UapiDevice device)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(device);
        if (device.PrivateKey is { } sk && sk.AsSpan().ContainsAnyExcept((byte)0))
        {
            Line(sb, "private_key", ToHex(sk));
        }
        if (device.ListenPort != 0)
        {
            Line(sb, "listen_port", Num(device.ListenPort));
        }
        if (device.FwMark != 0)
        {
            Line(sb, "fwmark", Num(device.FwMark));
        }
    }

    /// <summary>One peer's lines of a <c>get=1</c> answer (from public_key through its allowed_ip lines).</summary>
    public static void AppendGetPeer(StringBuilder sb, UapiPeer p)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(p);
        AppendGetPeer(sb, p.PublicKey, p.PresharedKey, p.Endpoint, p.LastHandshake, p.TransmitBytes, p.ReceiveBytes, p.PersistentKeepaliveInterval);
        foreach (var net in p.AllowedIps)
        {
            AppendGetAllowedIp(sb, net.BaseAddress, net.PrefixLength);
        }
    }

    /// <summary>
    /// A peer's lines of a <c>get=1</c> answer from public_key through persistent_keepalive_interval (its allowed_ip
    /// lines follow with <see cref="AppendGetAllowedIp"/>), from the values themselves: a server streaming 100,000
    /// peers formats them without a <see cref="UapiPeer"/> or a string per key. An empty or all-zero
    /// <paramref name="presharedKey"/> is none (64 zeros).
    /// </summary>
    public static void AppendGetPeer(StringBuilder sb, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> presharedKey, in NetEndpoint endpoint,
        DateTimeOffset? lastHandshake, long transmitBytes, long receiveBytes, ushort persistentKeepaliveInterval)
    {
        ArgumentNullException.ThrowIfNull(sb);
        if (publicKey.Length != WireGuardKeys.KeySize || (!presharedKey.IsEmpty && presharedKey.Length != WireGuardKeys.KeySize))
        {
            throw new ArgumentException($"a WireGuard key is {WireGuardKeys.KeySize} bytes, got {publicKey.Length} and {presharedKey.Length}");
        }
        Span<char> hex = stackalloc char[2 * WireGuardKeys.KeySize];
        Convert.TryToHexStringLower(publicKey, hex, out _);
        sb.Append("public_key=").Append(hex).Append('\n');
        if (presharedKey.ContainsAnyExcept((byte)0))
        {
            Convert.TryToHexStringLower(presharedKey, hex, out _);
            sb.Append("preshared_key=").Append(hex).Append('\n');
        }
        else
        {
            sb.Append("preshared_key=").Append('0', 2 * WireGuardKeys.KeySize).Append('\n');
        }
        sb.Append("protocol_version=1\n");
        if (endpoint.IsSet)
        {
            Line(sb, "endpoint", FormatEndpoint(endpoint));
        }
        var unixTicks = lastHandshake is { } t ? t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks : 0;
        sb.Append("last_handshake_time_sec=").Append(unixTicks / TimeSpan.TicksPerSecond).Append('\n');
        sb.Append("last_handshake_time_nsec=").Append(unixTicks % TimeSpan.TicksPerSecond * NanosPerTick).Append('\n');
        sb.Append("tx_bytes=").Append(transmitBytes).Append('\n');
        sb.Append("rx_bytes=").Append(receiveBytes).Append('\n');
        sb.Append("persistent_keepalive_interval=").Append(persistentKeepaliveInterval).Append('\n');
    }

    /// <summary>One <c>allowed_ip=ADDRESS/LENGTH</c> line of a <c>get=1</c> answer.</summary>
    public static void AppendGetAllowedIp(StringBuilder sb, System.Net.IPAddress address, int prefixLength)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(address);
        Span<char> text = stackalloc char[48];
        if (!address.TryFormat(text, out var n))
        {
            throw new ArgumentException($"cannot format address {address}", nameof(address));
        }
        sb.Append("allowed_ip=").Append(text[..n]).Append('/').Append(prefixLength).Append('\n');
    }

    /// <summary>
    /// Reads a whole <c>get=1</c> answer (through <c>errno=N</c> and the empty line), for a UAPI client.
    /// A non-zero errno throws <see cref="UapiException"/> with that errno; so does any malformed line
    /// (errno <see cref="UapiErrno.Protocol"/>).
    /// </summary>
    public static UapiDevice ParseGet(string response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var device = new UapiDevice();
        UapiPeer? peer = null;
        long seconds = 0;
        var lineNumber = 0;
        var span = response.AsSpan();
        foreach (var range in span.Split('\n'))
        {
            var line = span[range];
            lineNumber++;
            if (line.IsEmpty && range.Start.Value == span.Length)
            {
                break;
            }
            var eq = line.IndexOf('=');
            if (eq < 0)
            {
                throw Bad(lineNumber, $"{Quote(line)} is not key=value");
            }
            var key = line[..eq].ToString();
            var value = line[(eq + 1)..];
            if (key == "errno")
            {
                var negative = value.StartsWith("-");
                if (!TryParseDecimal(negative ? value[1..] : value, int.MaxValue, out var errno))
                {
                    throw Bad(lineNumber, $"errno: {Quote(value)} is not a number");
                }
                if (range.End.Value + 2 != response.Length || response[range.End.Value + 1] != '\n')
                {
                    throw Bad(lineNumber, "the answer does not end with an empty line after errno");
                }
                return errno == 0 ? device
                    : throw new UapiException((int)errno, $"UAPI get: the server answered errno {(negative ? "-" : "")}{errno}", "errno", lineNumber);
            }
            if (key == "public_key")
            {
                peer = new UapiPeer(GetKey(value, key, lineNumber));
                device.Peers.Add(peer);
                continue;
            }
            if (peer is null)
            {
                switch (key)
                {
                    case "private_key":
                        device.PrivateKey = GetKey(value, key, lineNumber);
                        break;
                    case "listen_port":
                        device.ListenPort = (ushort)GetNumber(value, ushort.MaxValue, key, lineNumber);
                        break;
                    case "fwmark":
                        device.FwMark = (uint)GetNumber(value, uint.MaxValue, key, lineNumber);
                        break;
                    default:
                        throw Bad(lineNumber, $"unknown device key '{key}'");
                }
                continue;
            }
            switch (key)
            {
                case "preshared_key":
                    var psk = GetKey(value, key, lineNumber);
                    peer.PresharedKey = psk.AsSpan().ContainsAnyExcept((byte)0) ? psk : null;
                    break;
                case "protocol_version":
                    _ = value.SequenceEqual("1") ? 0 : throw Bad(lineNumber, $"protocol_version: {Quote(value)} is not 1");
                    break;
                case "endpoint":
                    peer.Endpoint = TryParseEndpoint(value, out var ep) ? ep : throw Bad(lineNumber, $"endpoint: {Quote(value)} is not an endpoint");
                    break;
                case "last_handshake_time_sec":
                    seconds = (long)GetNumber(value, long.MaxValue / TimeSpan.TicksPerSecond, key, lineNumber);
                    break;
                case "last_handshake_time_nsec":
                    var nanos = (long)GetNumber(value, 999_999_999, key, lineNumber);
                    peer.LastHandshake = seconds == 0 && nanos == 0 ? null
                        : DateTimeOffset.UnixEpoch.AddTicks((seconds * TimeSpan.TicksPerSecond) + (nanos / NanosPerTick));
                    break;
                case "tx_bytes":
                    peer.TransmitBytes = (long)GetNumber(value, long.MaxValue, key, lineNumber);
                    break;
                case "rx_bytes":
                    peer.ReceiveBytes = (long)GetNumber(value, long.MaxValue, key, lineNumber);
                    break;
                case "persistent_keepalive_interval":
                    peer.PersistentKeepaliveInterval = (ushort)GetNumber(value, ushort.MaxValue, key, lineNumber);
                    break;
                case "allowed_ip":
                    peer.AllowedIps.Add(TryParsePrefix(value, false, out var a, out var l) ? ToNetwork(a, l)
                        : throw Bad(lineNumber, $"allowed_ip: {Quote(value)} is not an IP prefix"));
                    break;
                default:
                    throw Bad(lineNumber, $"unknown peer key '{key}'");
            }
        }
        throw new UapiException(UapiErrno.Protocol, "UAPI get: the answer ended without an errno line");
    }

    private static byte[] GetKey(ReadOnlySpan<char> value, string key, int line) =>
        TryParseHexKey(value, out var k) ? k : throw Bad(line, $"{key}: {Quote(value)} is not a key (64 hex digits)");

    private static ulong GetNumber(ReadOnlySpan<char> value, ulong max, string key, int line) =>
        TryParseDecimal(value, max, out var v) ? v : throw Bad(line, $"{key}: {Quote(value)} is not a number in 0..{max}");

    private static UapiException Bad(int line, string what) => new(UapiErrno.Protocol, $"UAPI get, line {line}: {what}", line: line);
}
