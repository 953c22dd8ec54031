using System.Net.Sockets;
using SharpTun.Cli.Formatting;
using SharpTun.Netlink;

namespace SharpTun.Cli.Commands;

/// <summary>
/// The selectors of <c>ip route show|flush</c> with iproute2's meaning: a bare PREFIX (or <c>exact</c>,
/// <c>default</c>) selects that exact destination, <c>root P</c> routes inside P, <c>match P</c> routes
/// that cover P; <c>table</c> (default main), <c>dev</c>, <c>proto</c>, <c>scope</c>, <c>type</c> select by
/// field — and, as in ip, a field selected exactly is not repeated on each line.
/// </summary>
internal sealed class RouteFilter
{
    /// <summary>null: every table (<c>table all</c>).</summary>
    internal uint? Table { get; private set; } = 254;
    internal string? Device { get; private set; }
    internal bool Any { get; private set; }
    private IpPrefix? _root;
    private IpPrefix? _match;
    private byte? _protocol;
    private byte? _scope;
    private byte? _type;

    /// <summary>The family the selectors imply (<c>default</c> alone implies none).</summary>
    internal AddressFamily? Family => (_root ?? _match)?.Address.AddressFamily;

    internal static RouteFilter Parse(Words w, string command)
    {
        var f = new RouteFilter();
        while (w.Any)
        {
            var word = w.Next();
            f.Any = true;
            switch (word)
            {
                case "table": var t = w.Value("table"); f.Table = t == "all" ? null : RtNames.ParseTable(t); break;
                case "dev" or "oif": f.Device = w.Value(word); break;
                case "proto" or "protocol": f._protocol = RtNames.ParseProtocol(w.Value(word)); break;
                case "scope": f._scope = RtNames.ParseScope(w.Value("scope")); break;
                case "type": f._type = RtNames.ParseRouteType(w.Value("type")); break;
                case "root": f._root = Prefix(w.Value("root")); break;
                case "match": f._match = Prefix(w.Value("match")); break;
                case "to" or "exact": f.Exact(w.Value(word)); break;
                default:
                    if (f._root is not null || f._match is not null || f._default)
                    {
                        throw new ArgumentException($"{command}: unknown argument '{word}'");
                    }
                    f.Exact(word);
                    break;
            }
        }
        return f;
    }

    private bool _default;

    private void Exact(string text)
    {
        if (text is "default" or "all" or "any")
        {
            _default = text == "default";
            return;
        }
        _root = _match = Prefix(text);
    }

    private static IpPrefix Prefix(string text) => IpPrefix.ParseIproute2(text);

    internal bool Matches(RouteInfo r, int? oif)
    {
        if (Table is { } t && r.Table != t)
        {
            return false;
        }
        if (oif is { } o && r.OutputIndex != o)
        {
            return false;
        }
        if ((_protocol is { } p && r.Protocol != p) || (_scope is { } s && r.Scope != s) || (_type is { } ty && r.Type != ty))
        {
            return false;
        }
        if (_default && r.DestinationLength != 0)
        {
            return false;
        }
        var dst = r.Destination ?? (r.Family == AddressFamily.InterNetwork ? System.Net.IPAddress.Any : System.Net.IPAddress.IPv6Any);
        if (_root is { } root && (r.Family != root.Address.AddressFamily || r.DestinationLength < root.Length ||
                                  !new IpPrefix(dst, root.Length).Network.Equals(root.Network)))
        {
            return false;
        }
        if (_match is { } match && (r.Family != match.Address.AddressFamily || r.DestinationLength > match.Length ||
                                    !new IpPrefix(match.Address, r.DestinationLength).Network.Equals(new IpPrefix(dst, r.DestinationLength).Network)))
        {
            return false;
        }
        return true;
    }

    /// <summary>The fields not repeated on each line because the filter fixed them.</summary>
    internal RouteFormat.Omit Omitted => new(Type: _type is not null, Device: Device is not null, Table: Table is not null,
        Protocol: _protocol is not null, Scope: _scope is not null);
}
