namespace SharpTun.WireGuard;

/// <summary>
/// Per-source-IP token bucket for handshake messages under load: 20 per second, bursts of 5
/// (wireguard-go's ratelimiter constants). Time comes from the injected <see cref="TimeProvider"/>;
/// entries idle for more than a second are swept on later calls. With a bound on entries, a source not
/// yet in a full table is refused (after a sweep), so spoofed sources cannot grow it without limit.
/// Thread-safe (one lock).
/// </summary>
internal sealed class HandshakeRateLimiter
{
    internal const int PacketsPerSecond = 20;
    internal const int PacketsBurstable = 5;
    private static readonly long s_packetCost = TimeSpan.TicksPerSecond / PacketsPerSecond;
    private static readonly long s_maxTokens = s_packetCost * PacketsBurstable;

    private readonly TimeProvider _time;
    private readonly Dictionary<UInt128, Entry> _table = [];
    private long _lastSweep;
    private readonly Lock _lock = new();

    private readonly int _maxEntries;

    /// <param name="time">The clock.</param>
    /// <param name="maxEntries">The most sources tracked at once (0 = no bound).</param>
    internal HandshakeRateLimiter(TimeProvider time, int maxEntries = 0)
    {
        _time = time;
        _maxEntries = maxEntries;
        _lastSweep = Now();
    }

    internal int Count => _table.Count;

    /// <summary>True when a handshake from <paramref name="source"/> may be processed now.</summary>
    internal bool Allow(in NetEndpoint source)
    {
        lock (_lock)
        {
            return AllowLocked(source);
        }
    }

    /// <summary>
    /// Whether <see cref="Allow"/> would let a handshake from <paramref name="source"/> through now, without
    /// taking a token: false only for a known source whose bucket is empty (a source not yet tracked may be).
    /// </summary>
    internal bool WouldAllow(in NetEndpoint source)
    {
        lock (_lock)
        {
            if (!_table.TryGetValue(Key(source), out var entry))
            {
                return true;
            }
            return Math.Min(s_maxTokens, entry.Tokens + (Now() - entry.LastTime)) >= s_packetCost;
        }
    }

    private static UInt128 Key(in NetEndpoint source)
    {
        Span<byte> bytes = stackalloc byte[16];
        bytes.Clear();
        var n = source.WriteAddress(bytes);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes) ^ (UInt128)(uint)n;
    }

    private bool AllowLocked(in NetEndpoint source)
    {
        var now = Now();
        if (now - _lastSweep > TimeSpan.TicksPerSecond)
        {
            Sweep(now);
        }
        var key = Key(source);
        if (!_table.TryGetValue(key, out var entry))
        {
            if (_maxEntries > 0 && _table.Count >= _maxEntries)
            {
                Sweep(now);
                if (_table.Count >= _maxEntries)
                {
                    return false;
                }
            }
            _table[key] = new Entry { LastTime = now, Tokens = s_maxTokens - s_packetCost };
            return true;
        }
        entry.Tokens = Math.Min(s_maxTokens, entry.Tokens + (now - entry.LastTime));
        entry.LastTime = now;
        if (entry.Tokens >= s_packetCost)
        {
            entry.Tokens -= s_packetCost;
            return true;
        }
        return false;
    }

    private void Sweep(long now)
    {
        _lastSweep = now;
        List<UInt128>? stale = null;
        foreach (var (k, e) in _table)
        {
            if (now - e.LastTime > TimeSpan.TicksPerSecond)
            {
                (stale ??= []).Add(k);
            }
        }
        if (stale is not null)
        {
            foreach (var k in stale)
            {
                _table.Remove(k);
            }
        }
    }

    private long Now() => _time.GetUtcNow().UtcTicks;

    private sealed class Entry
    {
        internal long LastTime;
        internal long Tokens;
    }
}
