using System.Globalization;
using System.Net.Sockets;
using static SharpTun.WireGuard.WireGuardSyntax;

namespace SharpTun.WireGuard;

internal sealed partial class WireGuardConfigParser
{
    private static readonly string[] s_wgQuickKeys = ["address", "dns", "mtu", "table", "preup", "postup", "predown", "postdown", "saveconfig"];

    /// <summary>SharpTun's own keys: accepted in wg-quick syntax only (wg and wireguard-go never see them).</summary>
    private static readonly string[] s_sharpTunKeys = ["tcplistenport", "tcpendpoint"];

    private void InterfaceKey(string key, string value)
    {
        var lower = key.ToLowerInvariant();
        RefuseSharpTunKeyInWgSyntax(key, lower);
        if (_syntax == ConfigSyntax.Wg && s_wgQuickKeys.Contains(lower))
        {
            throw Error(key, "is a wg-quick key; wg setconf/syncconf configs take only PrivateKey, ListenPort and FwMark in [Interface] (strip it, as 'wg-quick strip' does)");
        }
        var i = _config.Interface;
        i.RecordLine(lower, _line);
        switch (lower)
        {
            case "privatekey":
                Once(key);
                i.PrivateKey = Key(key, value);
                break;
            case "listenport":
                Once(key);
                i.ListenPort = TryParseDecimal(value, ushort.MaxValue, out var port) ? (ushort)port
                    : throw Error(key, $"'{value}' is not a port number (0-65535)");
                break;
            case "fwmark":
                Once(key);
                i.FwMark = ParseFwMark(value) ?? throw Error(key, $"'{value}' is not a fwmark (a number 0-4294967295, 0x hex, or off)");
                break;
            case "address":
                foreach (var item in Items(key, value))
                {
                    i.Addresses.Add(TryParsePrefix(item, lengthOptional: true, out var a, out var l) ? new InterfaceAddress(a, l)
                        : throw Error(key, $"'{item}' is not an IP address with an optional prefix length (10.0.0.1/24, fd00::1/64)"));
                }
                break;
            case "dns":
                foreach (var item in Items(key, value))
                {
                    if (TryParseAddress(item, out var server))
                    {
                        i.DnsServers.Add(server);
                    }
                    else
                    {
                        i.DnsSearch.Add(IsHostName(item) ? item : throw Error(key, $"'{item}' is neither an IP address nor a search domain"));
                    }
                }
                break;
            case "mtu":
                Once(key);
                i.Mtu = TryParseDecimal(value, 65535, out var mtu) && mtu >= 68 ? (int)mtu : throw Error(key, $"'{value}' is not an MTU (68-65535)");
                break;
            case "table":
                Once(key);
                i.Table = ParseTable(value) ?? throw Error(key, $"'{value}' is not a routing table (auto, off, a number or a name from rt_tables)");
                break;
            case "preup":
                i.PreUp.Add(Command(key, value));
                break;
            case "postup":
                i.PostUp.Add(Command(key, value));
                break;
            case "predown":
                i.PreDown.Add(Command(key, value));
                break;
            case "postdown":
                i.PostDown.Add(Command(key, value));
                break;
            case "tcplistenport":
                Once(key);
                i.TcpListenPort = value.Equals("off", StringComparison.OrdinalIgnoreCase) ? (ushort)0
                    : TryParseDecimal(value, ushort.MaxValue, out var tcpPort) ? (ushort)tcpPort
                    : throw Error(key, $"'{value}' is not a TCP port number (0-65535, or off)");
                break;
            case "saveconfig":
                Once(key);
                i.SaveConfig = value.Equals("true", StringComparison.OrdinalIgnoreCase) ? true
                    : value.Equals("false", StringComparison.OrdinalIgnoreCase) ? false
                    : throw Error(key, $"'{value}' is neither true nor false");
                break;
            default:
                throw Error(key, _syntax == ConfigSyntax.Wg
                    ? "unknown key in [Interface] (wg takes PrivateKey, ListenPort, FwMark)"
                    : "unknown key in [Interface] (wg-quick takes PrivateKey, ListenPort, FwMark, Address, DNS, MTU, Table, PreUp, PostUp, PreDown, PostDown, SaveConfig; SharpTun also takes TcpListenPort)");
        }
    }

    private void PeerKey(string key, string value)
    {
        var p = _peer!;
        RefuseSharpTunKeyInWgSyntax(key, key.ToLowerInvariant());
        switch (key.ToLowerInvariant())
        {
            case "publickey":
                Once(key);
                p.PublicKey = Key(key, value);
                p.PublicKeyLine = _line;
                break;
            case "presharedkey":
                Once(key);
                p.PresharedKey = Key(key, value);
                break;
            case "allowedips":
                foreach (var item in Items(key, value))
                {
                    p.AllowedIps.Add(TryParsePrefix(item, lengthOptional: true, out var a, out var l) ? ToNetwork(a, l)
                        : throw Error(key, $"'{item}' is not an IP prefix"));
                }
                break;
            case "endpoint":
                Once(key);
                p.Endpoint = ParseEndpoint(key, value);
                break;
            case "tcpendpoint":
                Once(key);
                p.TcpEndpoint = ParseEndpoint(key, value);
                break;
            case "persistentkeepalive":
                Once(key);
                p.PersistentKeepalive = value.Equals("off", StringComparison.OrdinalIgnoreCase) ? (ushort)0
                    : TryParseDecimal(value, ushort.MaxValue, out var ka) ? (ushort)ka
                    : throw Error(key, $"'{value}' is not an interval in seconds (0-65535, or off)");
                break;
            default:
                throw Error(key, "unknown key in [Peer] (PublicKey, PresharedKey, AllowedIPs, Endpoint, PersistentKeepalive; SharpTun also takes TcpEndpoint)");
        }
    }

    private void RefuseSharpTunKeyInWgSyntax(string key, string lower)
    {
        if (_syntax == ConfigSyntax.Wg && s_sharpTunKeys.Contains(lower))
        {
            throw Error(key, "is a SharpTun key (the encrypted TCP fallback); wg setconf/syncconf configs cannot carry it (keep it in the wg-quick file that 'sharptun wg up' reads)");
        }
    }

    private byte[] Key(string key, string value) =>
        WireGuardKeys.TryParse(value, out var k, out var problem) ? k : throw Error(key, problem);

    private string Command(string key, string value) => value.Length > 0 ? value : throw Error(key, "is empty (expected a shell command)");

    private ConfigEndpoint ParseEndpoint(string key, string value)
    {
        if (!TrySplitHostPort(value, out var host, out var port, out var bracketed))
        {
            throw Error(key, value.Contains(':', StringComparison.Ordinal) && value.IndexOf(':') != value.LastIndexOf(':') && !value.StartsWith('[')
                ? $"'{value}' is not an endpoint (an IPv6 address needs brackets: [2001:db8::1]:51820)"
                : $"'{value}' is not an endpoint (HOST:PORT or [IPV6]:PORT, port 1-65535)");
        }
        if (TryParseAddress(host, out var address))
        {
            if (bracketed != (address.AddressFamily == AddressFamily.InterNetworkV6))
            {
                throw Error(key, $"'{value}' is not an endpoint (brackets go around IPv6 addresses only)");
            }
            return new ConfigEndpoint(address.ToString(), port);
        }
        if (bracketed || !IsHostName(host) || host.IndexOfAnyExcept("0123456789.") < 0)
        {
            throw Error(key, $"'{host}' in '{value}' is neither an IP address nor a host name");
        }
        return new ConfigEndpoint(host.ToString(), port);
    }

    private static uint? ParseFwMark(string value)
    {
        if (value.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }
        if (value.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            var hex = value.AsSpan(2);
            return hex.Length is > 0 and <= 8 && !hex.ContainsAnyExcept("0123456789abcdefABCDEF")
                && uint.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var h) ? h : null;
        }
        return TryParseDecimal(value, uint.MaxValue, out var d) ? (uint)d : null;
    }

    private static RouteTable? ParseTable(string value)
    {
        if (value.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return RouteTable.Auto;
        }
        if (value.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            return new RouteTable(RouteTableKind.Off);
        }
        if (value.Length > 0 && char.IsAsciiDigit(value[0]))
        {
            return TryParseDecimal(value, uint.MaxValue, out var id) ? new RouteTable(RouteTableKind.Id, (uint)id) : null;
        }
        return value.Length is > 0 and <= 64 && !value.AsSpan().ContainsAnyExcept(NameChars) ? new RouteTable(RouteTableKind.Name, Name: value) : null;
    }

    private const string NameChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-";

    /// <summary>A DNS name: labels of letters, digits and hyphens (not at either end), 1..63 each, 253 in all.</summary>
    private static bool IsHostName(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty || s.Length > 253)
        {
            return false;
        }
        foreach (var r in s.TrimEnd('.').Split('.'))
        {
            var label = s[r];
            if (label.IsEmpty || label.Length > 63 || label[0] == '-' || label[^1] == '-'
                || label.ContainsAnyExcept("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"))
            {
                return false;
            }
        }
        return true;
    }
}
