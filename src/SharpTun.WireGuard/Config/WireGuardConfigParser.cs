namespace SharpTun.WireGuard;

/// <summary>
/// Reads wg-quick(8) / wg(8) INI configs the way those tools read them: sections <c>[Interface]</c>
/// and <c>[Peer]</c> and keys case-insensitive, <c>#</c> starts a comment anywhere on a line (also
/// inside a PostUp command, as in wg-quick), whitespace around keys, values and list items ignored,
/// list keys (Address, DNS, AllowedIPs) repeatable with comma lists, hooks repeatable. Stricter than
/// the tools where they are silent: a single-valued key given twice, a second [Interface], two peers
/// with one key and keys outside a section are errors. Every error is a
/// <see cref="WireGuardConfigException"/> naming the file, the line and the key.
/// </summary>
internal sealed partial class WireGuardConfigParser
{
    private readonly string _fileName;
    private readonly ConfigSyntax _syntax;
    private readonly WireGuardConfig _config = new();
    private readonly Dictionary<string, int> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _peerKeys = new(StringComparer.Ordinal);
    private Section _section;
    private int _peerLine;
    private PeerDraft? _peer;
    private int _line;

    private WireGuardConfigParser(string fileName, ConfigSyntax syntax)
    {
        _fileName = fileName;
        _syntax = syntax;
    }

    private enum Section
    {
        None,
        Interface,
        Peer,
    }

    internal static WireGuardConfig Parse(string text, string fileName, ConfigSyntax syntax)
    {
        var parser = new WireGuardConfigParser(fileName, syntax);
        parser.Run(text);
        return parser._config;
    }

    private void Run(string text)
    {
        var span = text.AsSpan();
        foreach (var range in span.Split('\n'))
        {
            _line++;
            var line = span[range];
            var hash = line.IndexOf('#');
            if (hash >= 0)
            {
                line = line[..hash];
            }
            line = line.Trim();
            if (line.IsEmpty)
            {
                continue;
            }
            if (line[0] == '[')
            {
                Header(line);
                continue;
            }
            var eq = line.IndexOf('=');
            if (eq < 0)
            {
                throw Error(null, $"'{line}' is not KEY = VALUE");
            }
            var key = line[..eq].TrimEnd().ToString();
            var value = line[(eq + 1)..].TrimStart().ToString();
            if (key.Length == 0)
            {
                throw Error(null, $"'{line}' has no key before '='");
            }
            switch (_section)
            {
                case Section.Interface:
                    InterfaceKey(key, value);
                    break;
                case Section.Peer:
                    PeerKey(key, value);
                    break;
                default:
                    throw Error(key, "is outside any section (put it under [Interface] or [Peer])");
            }
        }
        FinishPeer();
    }

    private void Header(ReadOnlySpan<char> line)
    {
        FinishPeer();
        if (line.Equals("[Interface]", StringComparison.OrdinalIgnoreCase))
        {
            if (_config.Interface.Line != 0)
            {
                throw Error(null, $"a second [Interface] section (the first is on line {_config.Interface.Line})");
            }
            _config.Interface.Line = _line;
            _section = Section.Interface;
            _seen.Clear();
        }
        else if (line.Equals("[Peer]", StringComparison.OrdinalIgnoreCase))
        {
            _section = Section.Peer;
            _peerLine = _line;
            _peer = new PeerDraft();
            _seen.Clear();
        }
        else
        {
            throw Error(null, $"unknown section '{line}' (expected [Interface] or [Peer])");
        }
    }

    private void FinishPeer()
    {
        if (_peer is null)
        {
            return;
        }
        if (_peer.PublicKey is null)
        {
            throw new WireGuardConfigException(_fileName, _peerLine, null, "this [Peer] has no PublicKey");
        }
        var id = Convert.ToBase64String(_peer.PublicKey);
        if (_peerKeys.TryGetValue(id, out var first))
        {
            throw new WireGuardConfigException(_fileName, _peer.PublicKeyLine, "PublicKey",
                $"peer {id} is already configured by the [Peer] on line {first}");
        }
        _peerKeys.Add(id, _peerLine);
        var p = new WireGuardPeerConfig(_peer.PublicKey)
        {
            Line = _peerLine,
            PresharedKey = _peer.PresharedKey,
            Endpoint = _peer.Endpoint,
            TcpEndpoint = _peer.TcpEndpoint,
            PersistentKeepalive = _peer.PersistentKeepalive,
        };
        p.AllowedIps.AddRange(_peer.AllowedIps);
        _config.Peers.Add(p);
        _peer = null;
    }

    /// <summary>A single-valued key: an error when the section already had it.</summary>
    private void Once(string key)
    {
        var canonical = key.ToLowerInvariant();
        if (_seen.TryGetValue(canonical, out var first))
        {
            throw Error(key, $"given twice in this section (first on line {first})");
        }
        _seen.Add(canonical, _line);
    }

    private WireGuardConfigException Error(string? key, string problem) => new(_fileName, _line, key, problem);

    /// <summary>A comma list's entries, trimmed; an empty value or entry (",,") is an error (wg rejects "AllowedIPs =").</summary>
    private List<string> Items(string key, string value)
    {
        var list = new List<string>();
        if (value.Length == 0)
        {
            throw Error(key, "is empty (leave the line out for none)");
        }
        foreach (var item in value.Split(','))
        {
            var t = item.Trim();
            if (t.Length == 0)
            {
                throw Error(key, $"'{value}' has an empty entry in its comma list");
            }
            list.Add(t);
        }
        return list;
    }

    private sealed class PeerDraft
    {
        internal byte[]? PublicKey;
        internal int PublicKeyLine;
        internal byte[]? PresharedKey;
        internal readonly List<System.Net.IPNetwork> AllowedIps = [];
        internal ConfigEndpoint? Endpoint;
        internal ConfigEndpoint? TcpEndpoint;
        internal ushort? PersistentKeepalive;
    }
}
