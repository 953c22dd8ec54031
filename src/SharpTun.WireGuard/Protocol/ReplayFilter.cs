namespace SharpTun.WireGuard;

/// <summary>
/// Sliding-window replay protection (RFC 6479 bitmap) with the geometry of the Linux kernel and
/// wireguard-go: a ring of 128 blocks of 64 bits, window = (128 − 1) × 64 = 8128 counters behind the
/// highest seen. Validate only after the packet authenticated. No allocation; not thread-safe.
/// </summary>
internal sealed class ReplayFilter
{
    internal const int BlockBitLog = 6;
    internal const int BlockBits = 1 << BlockBitLog;
    internal const int RingBlocks = 128;
    internal const ulong WindowSize = (RingBlocks - 1) * BlockBits;
    private const ulong BlockMask = RingBlocks - 1;
    private const ulong BitMask = BlockBits - 1;

    private readonly ulong[] _ring = new ulong[RingBlocks];
    private ulong _last;

    /// <summary>Forgets every counter seen.</summary>
    internal void Reset()
    {
        _last = 0;
        Array.Clear(_ring);
    }

    /// <summary>Accepts a counter not seen before, not older than the window and below <paramref name="limit"/>; records it.</summary>
    internal bool Validate(ulong counter, ulong limit)
    {
        if (counter >= limit)
        {
            return false;
        }
        var block = counter >> BlockBitLog;
        if (counter > _last)
        {
            var current = _last >> BlockBitLog;
            var diff = Math.Min(block - current, (ulong)RingBlocks);
            for (var i = current + 1; diff > 0; diff--, i++)
            {
                _ring[i & BlockMask] = 0;
            }
            _last = counter;
        }
        else if (_last - counter > WindowSize)
        {
            return false;
        }
        var index = (int)(block & BlockMask);
        var bit = 1UL << (int)(counter & BitMask);
        var old = _ring[index];
        _ring[index] = old | bit;
        return (old & bit) == 0;
    }
}
