using System.Net.Sockets;
using System.Text.RegularExpressions;
using SharpTun.Netlink;

namespace SharpTun.Cli.Commands;

/// <summary>
/// The selectors of <c>ip addr show</c> with iproute2's meaning (ipaddr_filter): a link is listed when one of
/// its addresses passes every address selector, or when it has no address at all and no family was chosen;
/// <c>to PREFIX</c> also chooses the prefix's family; <c>label</c> is a shell pattern, and with it ip prints
/// the matching address lines only, without the links' own lines.
/// </summary>
internal sealed class AddressFilter
{
    internal string? Device { get; private init; }
    internal AddressFamily Family { get; private init; }
    private bool _up;
    private IpPrefix? _to;
    private byte? _scope;
    private Regex? _label;

    internal static AddressFilter Parse(Words w, AddressFamily family)
    {
        string? dev = null;
        bool up = false;
        IpPrefix? to = null;
        byte? scope = null;
        Regex? label = null;
        while (w.Any)
        {
            var word = w.Next();
            switch (word)
            {
                case "dev": dev = w.Value("dev"); break;
                case "up": up = true; break;
                case "to": to = IpPrefix.ParseIproute2(w.Value("to")); break;
                case "scope": scope = RtNames.ParseScope(w.Value("scope")); break;
                case "label": label = Glob(w.Value("label")); break;
                default:
                    if (dev is not null)
                    {
                        throw w.Unknown(word);
                    }
                    dev = word;
                    break;
            }
        }
        if (to is { } p && family == AddressFamily.Unspecified)
        {
            family = p.Address.AddressFamily;
        }
        return new AddressFilter { Device = dev, Family = family, _up = up, _to = to, _scope = scope, _label = label };
    }

    /// <summary>Whether <paramref name="link"/> is listed at all, given all its addresses.</summary>
    internal bool Keeps(LinkInfo link, IEnumerable<AddressInfo> addresses)
    {
        if (_up && !link.IsUp)
        {
            return false;
        }
        var list = addresses.ToList();
        return list.Any(Matches) || (list.Count == 0 && Family == AddressFamily.Unspecified && _label is null && _to is null);
    }

    /// <summary>Whether the link's own header line is printed (ip prints only the address lines for a label selector).</summary>
    internal bool ShowsHeader => _label is null;

    internal bool Matches(AddressInfo a)
    {
        if (Family != AddressFamily.Unspecified && a.Family != Family)
        {
            return false;
        }
        if (_scope is { } s && a.Scope != s)
        {
            return false;
        }
        if (_label is not null && !_label.IsMatch(a.Label ?? ""))
        {
            return false;
        }
        return _to is not { } p || (a.Family == p.Address.AddressFamily && new IpPrefix(a.Local, p.Length).Network.Equals(p.Network));
    }

    /// <summary>fnmatch(3) without flags: * and ? (bracket expressions are kept literally).</summary>
    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant);
}
