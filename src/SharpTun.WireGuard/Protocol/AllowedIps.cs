using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace SharpTun.WireGuard;

/// <summary>
/// Cryptokey routing table: longest-prefix match from IPv4/IPv6 prefixes to a value (the peer), as a
/// path-compressed binary trie per family (the structure of wireguard-go's allowedips). Lookups walk
/// at most 33/129 nodes and allocate nothing. Thread-safe: lookups share a reader lock, changes take
/// the writer lock (a lookup sees the table before or after a change, never half of it).
/// </summary>
/// <typeparam name="T">The value stored per prefix.</typeparam>
public sealed class AllowedIps<T> where T : class
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private Node? _v4;
    private Node? _v6;

    /// <summary>Adds or replaces the value of a prefix (host bits are ignored).</summary>
    public void Insert(IPAddress address, int prefixLength, T value)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(value);
        var (key, bits, v6) = Key(address, prefixLength);
        _lock.EnterWriteLock();
        try
        {
            if (v6)
            {
                Insert(ref _v6, key, bits, value);
            }
            else
            {
                Insert(ref _v4, key, bits, value);
            }
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
            _v4 = Remove(_v4, value);
            _v6 = Remove(_v6, value);
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
            Collect(_v4, value, false, list);
            Collect(_v6, value, true, list);
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

    private static void Insert(ref Node? slot, UInt128 key, int bits, T value)
    {
        while (true)
        {
            if (slot is null)
            {
                slot = new Node(key, bits) { Value = value };
                return;
            }
            var n = slot;
            var common = Math.Min(Common(n.Key, key), Math.Min(n.Bits, bits));
            if (common == n.Bits && n.Bits == bits)
            {
                n.Value = value;
                return;
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
                return;
            }
            var split = new Node(Mask(key, common), common);
            split.Set(Bit(n.Key, common), n);
            split.Set(Bit(key, common), fresh);
            slot = split;
            return;
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

    private static Node? Remove(Node? n, T value)
    {
        if (n is null)
        {
            return null;
        }
        n.Zero = Remove(n.Zero, value);
        n.One = Remove(n.One, value);
        if (ReferenceEquals(n.Value, value))
        {
            n.Value = null;
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

    private static void Collect(Node? n, T value, bool v6, List<(IPAddress, int)> list)
    {
        if (n is null)
        {
            return;
        }
        if (ReferenceEquals(n.Value, value))
        {
            Span<byte> bytes = stackalloc byte[16];
            BinaryPrimitives.WriteUInt128BigEndian(bytes, n.Key);
            list.Add(v6 ? (new IPAddress(bytes), n.Bits) : (new IPAddress(bytes[..4]), n.Bits));
        }
        Collect(n.Zero, value, v6, list);
        Collect(n.One, value, v6, list);
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
