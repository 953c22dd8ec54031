using System.Net;
using System.Net.Sockets;

namespace SharpTun.Packets;

/// <summary>
/// A small capture filter in the spirit of tcpdump's, evaluated on a <see cref="DecodedPacket"/>.
/// Grammar (case-insensitive):
/// <code>
/// expr    := term ( ("or" | "||") term )*
/// term    := factor ( ["and" | "&amp;&amp;"] factor )*      (juxtaposition means "and": "tcp port 80")
/// factor  := ("not" | "!") factor | "(" expr ")" | primitive
/// primitive := ip | ip6 | arp | icmp | icmp6 | tcp | udp | vlan
///            | [src|dst] host ADDR | [src|dst] net PREFIX | [src|dst] port N | [src|dst] ADDR
/// PREFIX    := ADDR/LEN | A[.B[.C[.D]]] (8 bits per byte given, as tcpdump) | A.B.C.D mask M
/// </code>
/// <c>host</c> matches IPv4/IPv6 source or destination and ARP sender/target addresses; <c>net</c>
/// the same addresses against a prefix (<c>net 198.18.0.0/15</c>, <c>net 2001:db8::/32</c>, <c>net 10</c>);
/// <c>port</c> matches TCP or UDP ports. Matching never allocates.
/// </summary>
public sealed class PacketFilter
{
    private readonly FilterNode _root;

    /// <summary>The text the filter was parsed from.</summary>
    public string Text { get; }

    private PacketFilter(string text, FilterNode root)
    {
        Text = text;
        _root = root;
    }

    /// <summary>Parses a filter; throws <see cref="FormatException"/> naming the offending word.</summary>
    public static PacketFilter Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = Tokenize(text);
        var pos = 0;
        var root = tokens.Count == 0 ? new ProtocolNode("all") : ParseOr(tokens, ref pos, text);
        if (pos < tokens.Count)
        {
            throw Error(text, $"unexpected '{tokens[pos]}'");
        }
        return new PacketFilter(text, root);
    }

    /// <summary>True when the packet matches.</summary>
    public bool Matches(scoped in DecodedPacket packet) => _root.Matches(packet);

    /// <inheritdoc/>
    public override string ToString() => Text;

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '(' or ')' or '!')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else if ((c is '&' or '|') && i + 1 < text.Length && text[i + 1] == c)
            {
                tokens.Add(c == '&' ? "and" : "or");
                i += 2;
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')' or '!' or '&' or '|'))
                {
                    i++;
                }
                if (i == start)
                {
                    throw Error(text, $"unexpected '{c}'");
                }
                tokens.Add(text[start..i].ToLowerInvariant());
            }
        }
        return tokens;
    }

    private static FilterNode ParseOr(List<string> t, ref int pos, string text)
    {
        var left = ParseAnd(t, ref pos, text);
        while (pos < t.Count && t[pos] == "or")
        {
            pos++;
            left = new OrNode(left, ParseAnd(t, ref pos, text));
        }
        return left;
    }

    private static FilterNode ParseAnd(List<string> t, ref int pos, string text)
    {
        var left = ParseFactor(t, ref pos, text);
        while (pos < t.Count && t[pos] is not ("or" or ")"))
        {
            if (t[pos] == "and")
            {
                pos++;
            }
            left = new AndNode(left, ParseFactor(t, ref pos, text));
        }
        return left;
    }

    private static FilterNode ParseFactor(List<string> t, ref int pos, string text)
    {
        if (pos >= t.Count)
        {
            throw Error(text, "expression ends too early");
        }
        var word = t[pos++];
        switch (word)
        {
            case "not" or "!":
                return new NotNode(ParseFactor(t, ref pos, text));
            case "(":
                var inner = ParseOr(t, ref pos, text);
                if (pos >= t.Count || t[pos] != ")")
                {
                    throw Error(text, "missing ')'");
                }
                pos++;
                return inner;
            case "ip" or "ip4" or "ipv4" or "ip6" or "ipv6" or "arp" or "icmp" or "icmp6" or "icmpv6" or "tcp" or "udp" or "vlan":
                return new ProtocolNode(word);
        }
        var direction = Direction.Either;
        if (word is "src" or "dst")
        {
            direction = word == "src" ? Direction.Source : Direction.Destination;
            if (pos >= t.Count)
            {
                throw Error(text, $"'{word}' needs 'host ADDR', 'net PREFIX' or 'port N'");
            }
            word = t[pos++];
        }
        if (word == "port")
        {
            if (pos >= t.Count || !ushort.TryParse(t[pos], out var port))
            {
                throw Error(text, $"'port' needs a number 0-65535{(pos < t.Count ? $", not '{t[pos]}'" : "")}");
            }
            pos++;
            return new PortNode(port, direction);
        }
        if (word == "net")
        {
            if (pos >= t.Count)
            {
                throw Error(text, "'net' needs a prefix such as 198.18.0.0/15");
            }
            var prefix = t[pos++];
            string? mask = null;
            if (pos + 1 < t.Count && t[pos] == "mask")
            {
                mask = t[pos + 1];
                pos += 2;
            }
            return NetNode.Parse(prefix, mask, direction, why => Error(text, why));
        }
        if (word == "host")
        {
            if (pos >= t.Count)
            {
                throw Error(text, "'host' needs an address");
            }
            word = t[pos++];
        }
        if (IPAddress.TryParse(word, out var address) && (word.Contains(':') || word.Count(c => c == '.') == 3))
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6)
            {
                address = address.MapToIPv4();
            }
            return new HostNode(address.GetAddressBytes(), direction);
        }
        throw Error(text, $"unknown word '{word}' (expected ip, ip6, arp, icmp, icmp6, tcp, udp, vlan, host ADDR, net PREFIX, port N, src/dst, and, or, not)");
    }

    private static FormatException Error(string text, string why) => new($"invalid filter '{text}': {why}");

    internal enum Direction
    {
        Either,
        Source,
        Destination,
    }

    internal abstract class FilterNode
    {
        public abstract bool Matches(scoped in DecodedPacket p);

        /// <summary>The addresses <c>host</c> and <c>net</c> test: IP source/destination, ARP sender/target.</summary>
        protected static void Endpoints(scoped in DecodedPacket p, out ReadOnlySpan<byte> source, out ReadOnlySpan<byte> destination)
        {
            source = destination = default;
            if (p.Network is NetworkLayer.Ipv4 or NetworkLayer.Ipv6)
            {
                source = p.SourceAddress;
                destination = p.DestinationAddress;
            }
            else if (p.Network == NetworkLayer.Arp)
            {
                source = p.Arp.SenderProtocolAddress;
                destination = p.Arp.TargetProtocolAddress;
            }
        }
    }

    private sealed class AndNode(FilterNode left, FilterNode right) : FilterNode
    {
        public override bool Matches(scoped in DecodedPacket p) => left.Matches(p) && right.Matches(p);
    }

    private sealed class OrNode(FilterNode left, FilterNode right) : FilterNode
    {
        public override bool Matches(scoped in DecodedPacket p) => left.Matches(p) || right.Matches(p);
    }

    private sealed class NotNode(FilterNode inner) : FilterNode
    {
        public override bool Matches(scoped in DecodedPacket p) => !inner.Matches(p);
    }

    private sealed class ProtocolNode(string name) : FilterNode
    {
        public override bool Matches(scoped in DecodedPacket p) => name switch
        {
            "all" => true,
            "ip" or "ip4" or "ipv4" => p.Network == NetworkLayer.Ipv4,
            "ip6" or "ipv6" => p.Network == NetworkLayer.Ipv6,
            "arp" => p.Network == NetworkLayer.Arp,
            "icmp" => p.Transport == TransportLayer.Icmp,
            "icmp6" or "icmpv6" => p.Transport == TransportLayer.Icmpv6,
            "tcp" => p.Transport == TransportLayer.Tcp,
            "udp" => p.Transport == TransportLayer.Udp,
            "vlan" => p.HasEthernet && p.Ethernet.VlanTagCount > 0,
            _ => false,
        };
    }

    private sealed class PortNode(ushort port, Direction direction) : FilterNode
    {
        public override bool Matches(scoped in DecodedPacket p) =>
            (direction != Direction.Destination && p.SourcePort == port) || (direction != Direction.Source && p.DestinationPort == port);
    }

    private sealed class HostNode(byte[] address, Direction direction) : FilterNode
    {
        public override bool Matches(scoped in DecodedPacket p)
        {
            Endpoints(p, out var source, out var destination);
            return (direction != Direction.Destination && source.SequenceEqual(address))
                || (direction != Direction.Source && destination.SequenceEqual(address));
        }
    }
}
