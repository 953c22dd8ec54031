using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace SharpTun.WireGuard;

/// <summary>
/// Cryptokey routing table: longest-prefix match from IPv4/IPv6 prefixes to a value (the peer), as a
/// path-compressed binary trie per family (the structure of wireguard-go's allowedips). Lookups walk
/// at most 33/129 nodes and allocate nothing. Thread-safe: lookups share a reader lock, changes take
/// the writer lock (a lookup sees the table before or after a change, never half of it).
/// Beside the trie an index from each value to its prefixes makes <see cref="RemoveAll"/> and
/// <see cref="PrefixesOf"/> cost O(prefixes of that value × depth), not a walk of the whole table.
/// </summary>
/// <typeparam name="T">The value stored per prefix.</typeparam>
public sealed class AllowedIps<T> where T : class
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private Node? _v4;
    private Node? _v6;
    // The index: a value's one prefix (a peer's /32, the usual case) in _single; two or more in a list in _byValue.
    // A list per value was 90 bytes more per peer (issue 20: 100,000 peers with one prefix each).
    private readonly Dictionary<T, Prefix> _single = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<T, List<Prefix>> _byValue = new(ReferenceEqualityComparer.Instance);

    /// <summary>How many prefixes the table holds.</summary>
    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                var n = _single.Count;
                foreach (var list in _byValue.Values)
                {
                    n += list.Count;
                }
                return n;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>Adds or replaces the value of a prefix (host bits are ignored).</summary>
    public void Insert(IPAddress address, int prefixLength, T value)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(value);
        var (key, bits, v6) = Key(address, prefixLength);
        _lock.EnterWriteLock();
        try
        {
            var old = v6 ? Insert(ref _v6, key, bits, value) : Insert(ref _v4, key, bits, value);
            if (ReferenceEquals(old, value))
            {
                return;
            }
            var prefix = new Prefix(key, bits, v6);
            if (old is not null)
            {
                Unindex(old, prefix);
            }
            Index(value, prefix);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>The value of the longest prefix containing the address (4 or 16 bytes), or null.</summary>
    public T? Lookup(ReadOnlySpan<byte> address)
    {
        if (address.Length is not (4 or 16))
        {
            return null;
        }
        var key = address.Length == 4 ? (UInt128)BinaryPrimitives.ReadUInt32BigEndian(address) << 96 : BinaryPrimitives.ReadUInt128BigEndian(address);
        _lock.EnterReadLock();
        try
        {
            return Lookup(address.Length == 4 ? _v4 : _v6, key);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>The value for an address, or null.</summary>
    public T? Lookup(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var n);
        return Lookup(bytes[..n]);
    }

    /// <summary>
    /// Looks up the destination (<paramref name="source"/> false) or source address of an IPv4/IPv6
    /// packet; null when the packet is too short or not IP.
    /// </summary>
    public T? LookupPacket(ReadOnlySpan<byte> packet, bool source)
    {
        if (packet.Length >= 20 && packet[0] >> 4 == 4)
        {
            return Lookup(packet.Slice(source ? 12 : 16, 4));
        }
        if (packet.Length >= 40 && packet[0] >> 4 == 6)
        {
            return Lookup(packet.Slice(source ? 8 : 24, 16));
        }
        return null;
    }

    /// <summary>Removes every prefix that maps to <paramref name="value"/>.</summary>
    public void RemoveAll(T value)
    {
        _lock.EnterWriteLock();
        try
        {
            List<Prefix>? list = null;
            if (_single.Remove(value, out var one))
            {
                list = [one];
            }
            else if (!_byValue.Remove(value, out list))
            {
                return;
            }
            foreach (var prefix in list)
            {
                if (prefix.V6)
                {
                    _v6 = Remove(_v6, prefix.Key, prefix.Bits);
                }
                else
                {
                    _v4 = Remove(_v4, prefix.Key, prefix.Bits);
                }
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Every prefix mapping to <paramref name="value"/> (allocates; for display).</summary>
    public List<(IPAddress Address, int PrefixLength)> PrefixesOf(T value)
    {
        var list = new List<(IPAddress, int)>();
        _lock.EnterReadLock();
        try
        {
            var prefixes = _byValue.GetValueOrDefault(value) ?? (_single.TryGetValue(value, out var one) ? new List<Prefix> { one } : null);
            if (prefixes is not null)
            {
                Span<byte> bytes = stackalloc byte[16];
                foreach (var p in prefixes)
                {
                    BinaryPrimitives.WriteUInt128BigEndian(bytes, p.Key);
                    list.Add(p.V6 ? (new IPAddress(bytes), p.Bits) : (new IPAddress(bytes[..4]), p.Bits));
                }
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }
        return list;
    }

    private static (UInt128 Key, int Bits, bool V6) Key(IPAddress address, int prefixLength)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var n);
        var v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        var max = v6 ? 128 : 32;
        if (prefixLength < 0 || prefixLength > max)
        {
            throw new ArgumentOutOfRangeException(nameof(prefixLength), $"prefix length {prefixLength} is out of range for {address} (0..{max})");
        }
        var key = v6 ? BinaryPrimitives.ReadUInt128BigEndian(bytes) : (UInt128)BinaryPrimitives.ReadUInt32BigEndian(bytes[..n]) << 96;
        return (Mask(key, prefixLength), prefixLength, v6);
    }

    private static UInt128 Mask(UInt128 key, int bits) => bits == 0 ? UInt128.Zero : key & (UInt128.MaxValue << (128 - bits));

    private static int Bit(UInt128 key, int index) => (int)((key >> (127 - index)) & UInt128.One);

    private static int Common(UInt128 a, UInt128 b) => (int)UInt128.LeadingZeroCount(a ^ b);

    /// <summary>Inserts and returns the value the prefix had before (null when new).</summary>
    private static T? Insert(ref Node? slot, UInt128 key, int bits, T value)
    {
        while (true)
        {
            if (slot is null)
            {
                slot = new Node(key, bits) { Value = value };
                return null;
            }
            var n = slot;
            var common = Math.Min(Common(n.Key, key), Math.Min(n.Bits, bits));
            if (common == n.Bits && n.Bits == bits)
            {
                var old = n.Value;
                n.Value = value;
                return old;
            }
            if (common == n.Bits)
            {
                if (Bit(key, n.Bits) == 0)
                {
                    slot = ref n.Zero;
                }
                else
                {
                    slot = ref n.One;
                }
                continue;
            }
            var fresh = new Node(key, bits) { Value = value };
            if (common == bits)
            {
                fresh.Set(Bit(n.Key, bits), n);
                slot = fresh;
                return null;
            }
            var split = new Node(Mask(key, common), common);
            split.Set(Bit(n.Key, common), n);
            split.Set(Bit(key, common), fresh);
            slot = split;
            return null;
        }
    }

    private static T? Lookup(Node? n, UInt128 key)
    {
        T? best = null;
        while (n is not null && Common(n.Key, key) >= n.Bits)
        {
            if (n.Value is not null)
            {
                best = n.Value;
            }
            if (n.Bits == 128)
            {
                break;
            }
            n = Bit(key, n.Bits) == 0 ? n.Zero : n.One;
        }
        return best;
    }

    /// <summary>Clears one exact prefix's value below <paramref name="n"/>; returns what replaces the subtree.</summary>
    private static Node? Remove(Node? n, UInt128 key, int bits)
    {
        if (n is null || n.Bits > bits || Common(n.Key, key) < n.Bits)
        {
            return n;
        }
        if (n.Bits == bits)
        {
            n.Value = null;
        }
        else if (Bit(key, n.Bits) == 0)
        {
            n.Zero = Remove(n.Zero, key, bits);
        }
        else
        {
            n.One = Remove(n.One, key, bits);
        }
        if (n.Value is not null)
        {
            return n;
        }
        // A node without a value is only a branch point: keep it only while it joins two subtrees.
        if (n.Zero is null)
        {
            return n.One;
        }
        return n.One is null ? n.Zero : n;
    }

    private readonly record struct Prefix(UInt128 Key, int Bits, bool V6);

    /// <summary>Records that <paramref name="prefix"/> maps to <paramref name="value"/> (under the writer lock).</summary>
    private void Index(T value, Prefix prefix)
    {
        if (_byValue.TryGetValue(value, out var list))
        {
            list.Add(prefix);
        }
        else if (_single.Remove(value, out var first))
        {
            _byValue[value] = [first, prefix];
        }
        else
        {
            _single[value] = prefix;
        }
    }

    /// <summary>Forgets that <paramref name="prefix"/> maps to <paramref name="value"/> (under the writer lock).</summary>
    private void Unindex(T value, Prefix prefix)
    {
        if (_single.TryGetValue(value, out var one))
        {
            if (one == prefix)
            {
                _single.Remove(value);
            }
        }
        else if (_byValue.TryGetValue(value, out var list) && list.Remove(prefix) && list.Count <= 1)
        {
            _byValue.Remove(value);
            if (list.Count == 1)
            {
                _single[value] = list[0];
            }
        }
    }

    private sealed class Node(UInt128 key, int bits)
    {
        internal readonly UInt128 Key = key;
        internal readonly int Bits = bits;
        internal Node? Zero;
        internal Node? One;
        internal T? Value;

        internal void Set(int bit, Node child)
        {
            if (bit == 0)
            {
                Zero = child;
            }
            else
            {
                One = child;
            }
        }
    }
}
