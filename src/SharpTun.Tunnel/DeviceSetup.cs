using System.Net.Sockets;
using SharpTun.Netlink;

namespace SharpTun.Tunnel;

/// <summary>Configures a tunnel device over rtnetlink (no shelling out): MTU, addresses, link up.</summary>
internal static class DeviceSetup
{
    /// <summary>
    /// Sets the MTU (when given), adds each address (IPv4 with the broadcast derived from the
    /// prefix, as <c>brd +</c>) and brings the link up. Equivalent to: <c>ip link set $dev mtu $mtu;
    /// ip addr add $cidr brd + dev $dev; ip link set $dev up</c>.
    /// </summary>
    public static void Configure(RtNetlinkClient netlink, string device, IEnumerable<IpPrefix> addresses, int? mtu)
    {
        ArgumentNullException.ThrowIfNull(netlink);
        ArgumentNullException.ThrowIfNull(addresses);
        if (mtu is { } m)
        {
            netlink.LinkSetMtu(device, m);
        }
        foreach (var prefix in addresses)
        {
            netlink.AddressAdd(device, prefix, new AddressOptions
            {
                BroadcastFromPrefix = prefix.Address.AddressFamily == AddressFamily.InterNetwork,
                NoDad = prefix.Address.AddressFamily == AddressFamily.InterNetworkV6,
            });
        }
        netlink.LinkSetUp(device);
    }

    /// <summary>Parses CIDR strings (<c>198.19.0.1/24</c>, <c>2001:db8::1/64</c>); throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public static IReadOnlyList<IpPrefix> ParseAddresses(IEnumerable<string> cidrs)
    {
        var list = new List<IpPrefix>();
        foreach (var cidr in cidrs)
        {
            try
            {
                list.Add(IpPrefix.Parse(cidr));
            }
            catch (FormatException e)
            {
                throw new ArgumentException($"invalid address '{cidr}': {e.Message}", e);
            }
        }
        return list;
    }
}
