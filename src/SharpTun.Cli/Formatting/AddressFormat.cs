using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using SharpTun.Netlink;

namespace SharpTun.Cli.Formatting;

/// <summary>Prints addresses as <c>ip addr show</c> / <c>ip -j addr show</c> do.</summary>
internal static class AddressFormat
{
    internal static JsonObject Json(AddressInfo a)
    {
        var v6 = a.Family == AddressFamily.InterNetworkV6;
        var o = new JsonObject { ["family"] = v6 ? "inet6" : "inet", ["local"] = a.Local.ToString() };
        if (a.Peer is not null)
        {
            o["address"] = a.Peer.ToString();
        }
        o["prefixlen"] = a.PrefixLength;
        if (a.Broadcast is not null)
        {
            o["broadcast"] = a.Broadcast.ToString();
        }
        o["scope"] = RtNames.Scope(a.Scope);
        foreach (var f in RtNames.AddressFlagNames(a.Flags, v6))
        {
            o[f] = true;
        }
        if (a.Label is not null)
        {
            o["label"] = a.Label;
        }
        o["valid_life_time"] = a.ValidLifetime;
        o["preferred_life_time"] = a.PreferredLifetime;
        return o;
    }

    internal static string Text(AddressInfo a)
    {
        var v6 = a.Family == AddressFamily.InterNetworkV6;
        var sb = new StringBuilder("    ").Append(v6 ? "inet6 " : "inet ");
        sb.Append(a.Local);
        if (a.Peer is not null)
        {
            sb.Append(" peer ").Append(a.Peer);
        }
        sb.Append(CultureInfo.InvariantCulture, $"/{a.PrefixLength}");
        if (a.Broadcast is not null)
        {
            sb.Append(" brd ").Append(a.Broadcast);
        }
        sb.Append(" scope ").Append(RtNames.Scope(a.Scope));
        foreach (var f in RtNames.AddressFlagNames(a.Flags, v6))
        {
            sb.Append(' ').Append(f);
        }
        if (a.Label is not null)
        {
            sb.Append(' ').Append(a.Label);
        }
        sb.Append("\n       valid_lft ").Append(Lifetime(a.ValidLifetime)).Append(" preferred_lft ").Append(Lifetime(a.PreferredLifetime));
        return sb.ToString();
    }

    private static string Lifetime(uint seconds) =>
        seconds == uint.MaxValue ? "forever" : seconds.ToString(CultureInfo.InvariantCulture) + "sec";
}
