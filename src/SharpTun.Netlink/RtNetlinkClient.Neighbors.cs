using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace SharpTun.Netlink;

public sealed partial class RtNetlinkClient
{
    private const ushort RTM_NEWNEIGH = 28;
    private const ushort RTM_DELNEIGH = 29;
    private const ushort RTM_GETNEIGH = 30;

    /// <summary>
    /// Lists the neighbour (ARP/NDP) entries of one family or both, every state included.
    /// Equivalent to: <c>ip neigh show nud all</c>.
    /// </summary>
    public IReadOnlyList<NeighborInfo> GetNeighbors(AddressFamily family = AddressFamily.Unspecified)
    {
        var req = new NetlinkMessageBuilder(RTM_GETNEIGH, Nl.F_DUMP);
        req.Reserve(NeighborInfo.NdMsgSize)[0] = FamilyByte(family);
        return [.. _connection.Query(req, "cannot list neighbours")
            .Where(m => m.Type == RTM_NEWNEIGH)
            .Select(m => NeighborInfo.Parse(m.Payload))
            .Where(n => n.Family != AddressFamily.Unspecified)];
    }

    /// <summary>
    /// Adds a neighbour entry (fails if one exists, unless <paramref name="replace"/>).
    /// Equivalent to: <c>ip neigh add|replace $address lladdr $mac dev $link nud $state</c> (state default permanent).
    /// </summary>
    public void NeighborAdd(string link, IPAddress address, ReadOnlySpan<byte> linkAddress, ushort state = NeighborInfo.Permanent, bool replace = false)
    {
        ArgumentNullException.ThrowIfNull(address);
        var op = $"cannot {(replace ? "replace" : "add")} neighbour {address} on '{link}'";
        var req = NeighborRequest(RTM_NEWNEIGH, replace ? (ushort)(Nl.F_CREATE | Nl.F_REPLACE) : (ushort)(Nl.F_CREATE | Nl.F_EXCL), address,
            IndexOf(link, op), state);
        if (!linkAddress.IsEmpty)
        {
            req.Add(NeighborInfo.NDA_LLADDR, linkAddress);
        }
        _connection.Execute(req, op);
    }

    /// <summary>Deletes a neighbour entry. Equivalent to: <c>ip neigh del $address dev $link</c>.</summary>
    public void NeighborDelete(string link, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var op = $"cannot delete neighbour {address} on '{link}'";
        _connection.Execute(NeighborRequest(RTM_DELNEIGH, 0, address, IndexOf(link, op), 0), op);
    }

    private static NetlinkMessageBuilder NeighborRequest(ushort type, ushort flags, IPAddress address, int index, ushort state)
    {
        var req = new NetlinkMessageBuilder(type, flags);
        var h = req.Reserve(NeighborInfo.NdMsgSize);
        h[0] = address.AddressFamily == AddressFamily.InterNetwork ? Nl.AF_INET : Nl.AF_INET6;
        BinaryPrimitives.WriteInt32LittleEndian(h[4..], index);
        BinaryPrimitives.WriteUInt16LittleEndian(h[8..], state);
        req.Add(NeighborInfo.NDA_DST, address.GetAddressBytes());
        return req;
    }
}
