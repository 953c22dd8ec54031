using System.Buffers.Binary;
using System.Collections;
using System.Net;
using System.Runtime.CompilerServices;
using SharpTun.Netlink;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// The routes a <see cref="NetworkSetup"/> added, for its undo, held as small values on one device: an IPv4 route
/// is 8 bytes (address, length, table slot), an IPv6 one 18; the tables (few: one per AddRoutes call) are kept
/// once. Issue 20: with 100,000 AllowedIPs a list of <see cref="RouteSpec"/> objects, each with its
/// <see cref="IPAddress"/>, was ~15 MB for the life of the interface; this is 0.8 MB. Reading an element makes
/// its <see cref="RouteSpec"/> again; the IPv4 routes come first, then the IPv6 ones, each in the order added.
/// Not thread-safe.
/// </summary>
internal sealed class AddedRouteList : IReadOnlyList<RouteSpec>
{
    private readonly string _device;
    private readonly List<uint?> _tables = [];
    private readonly List<V4> _v4 = [];
    private readonly List<V6> _v6 = [];

    public AddedRouteList(string device) => _device = device;

    public int Count => _v4.Count + _v6.Count;

    /// <summary>Bytes the entries take (the lists' capacities), for the memory tests.</summary>
    internal long RetainedBytes => ((long)_v4.Capacity * Unsafe.SizeOf<V4>()) + ((long)_v6.Capacity * Unsafe.SizeOf<V6>());

    public RouteSpec this[int index] => index < _v4.Count ? ToSpec(_v4[index]) : ToSpec(_v6[index - _v4.Count]);

    /// <summary>Room for <paramref name="moreV4"/> IPv4 and <paramref name="moreV6"/> IPv6 routes beyond those recorded (no doubling past what AddRoutes adds).</summary>
    public void Reserve(int moreV4, int moreV6)
    {
        _v4.EnsureCapacity(_v4.Count + moreV4);
        _v6.EnsureCapacity(_v6.Count + moreV6);
    }

    /// <summary>Records <paramref name="route"/>: a destination on this list's device with no other field than <see cref="RouteSpec.Table"/> and <see cref="RouteSpec.IPv6"/>.</summary>
    public void Add(RouteSpec route)
    {
        var dst = route.Destination ?? throw new ArgumentException("an added route has a destination", nameof(route));
        if (route.Device != _device || route.Gateway is not null || route.Source is not null || route.Metric is not null
            || route.Scope is not null || route.Protocol is not null || route.Type is not null)
        {
            throw new ArgumentException($"route {route} is not a plain route on {_device}: it cannot be recorded compactly", nameof(route));
        }
        var slot = _tables.IndexOf(route.Table);
        if (slot < 0)
        {
            if (_tables.Count > byte.MaxValue)
            {
                throw new ArgumentException($"route {route}: more than 256 tables on {_device}", nameof(route));
            }
            slot = _tables.Count;
            _tables.Add(route.Table);
        }
        if (dst.IsIPv4)
        {
            Span<byte> a = stackalloc byte[4];
            dst.Address.TryWriteBytes(a, out _);
            _v4.Add(new V4 { Address = BinaryPrimitives.ReadUInt32BigEndian(a), Length = (byte)dst.Length, Table = (byte)slot });
        }
        else
        {
            var e = new V6 { Length = (byte)dst.Length, Table = (byte)slot };
            dst.Address.TryWriteBytes(e.Address, out _);
            _v6.Add(e);
        }
    }

    public void Clear()
    {
        _v4.Clear();
        _v4.Capacity = 0;
        _v6.Clear();
        _v6.Capacity = 0;
        _tables.Clear();
    }

    /// <summary>The routes, last first, <paramref name="chunk"/> at a time: what an undo deletes, without a second list of all.</summary>
    public IEnumerable<List<RouteSpec>> Reversed(int chunk)
    {
        var batch = new List<RouteSpec>(Math.Min(chunk, Count));
        for (var i = Count - 1; i >= 0; i--)
        {
            batch.Add(this[i]);
            if (batch.Count == chunk || i == 0)
            {
                yield return batch;
                batch = new List<RouteSpec>(Math.Min(chunk, i));
            }
        }
    }

    public IEnumerator<RouteSpec> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private RouteSpec ToSpec(V4 e)
    {
        Span<byte> a = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(a, e.Address);
        return Spec(new IPAddress(a), e.Length, e.Table, ipv6: false);
    }

    private RouteSpec ToSpec(in V6 e) => Spec(new IPAddress((ReadOnlySpan<byte>)e.Address), e.Length, e.Table, ipv6: true);

    private RouteSpec Spec(IPAddress address, byte length, byte table, bool ipv6) => new()
    {
        Destination = new IpPrefix(address, length),
        Device = _device,
        Table = _tables[table],
        IPv6 = ipv6,
    };

    private struct V4
    {
        public uint Address; // network order, as a big-endian number
        public byte Length;
        public byte Table; // slot in _tables
    }

    [InlineArray(16)]
    private struct AddressBytes
    {
        private byte _b0;
    }

    private struct V6
    {
        public AddressBytes Address;
        public byte Length;
        public byte Table;
    }
}
