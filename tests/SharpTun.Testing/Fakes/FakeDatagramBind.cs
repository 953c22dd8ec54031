using System.Runtime.InteropServices;
using SharpTun.IO;

namespace SharpTun.Testing.Fakes;

/// <summary>
/// A bind on a <see cref="FakeDatagramNetwork"/>. Its inbox is a <see cref="SlotRing"/> bounded by
/// <see cref="FakeBindOptions.QueueBytes"/>, so <see cref="PollHandle"/> is a real eventfd, readable
/// while datagrams wait and after <see cref="Shutdown"/>; Receive waits (as a blocking socket).
/// Every received datagram reports the sender's <see cref="Source"/> as remote and the address it
/// was sent to as local. A full inbox drops (counted in <see cref="Dropped"/>), as a socket buffer does.
/// Allocation-free after construction.
/// </summary>
public sealed class FakeDatagramBind : IDatagramBind
{
    private const int MaxDatagram = 65535;

    // The kernel charges every queued skb far more than this; it only sizes the ring's entry table.
    private const int MinBytesPerDatagram = 256;

    private readonly FakeDatagramNetwork _network;
    private readonly SlotRing _inbox;
    private readonly int _interfaceIndex;
    private long _dropped;
    private long _received;

    internal FakeDatagramBind(FakeDatagramNetwork network, NetEndpoint local, FakeBindOptions options)
    {
        _network = network;
        LocalEndpoint = local;
        Source = local;
        BatchSize = options.BatchSize;
        _interfaceIndex = options.InterfaceIndex;
        var bytes = Math.Max(1, options.QueueBytes);
        _inbox = new SlotRing(Math.Max(16, bytes / MinBytesPerDatagram), Math.Min(bytes, MaxDatagram), bytes);
    }

    /// <summary>The endpoint this bind is reachable at (changed by <see cref="FakeDatagramNetwork.Move"/>).</summary>
    public NetEndpoint LocalEndpoint { get; internal set; }

    /// <summary>The source endpoint stamped on what this bind sends: its own unless a test spoofs another.</summary>
    public NetEndpoint Source { get; set; }

    /// <inheritdoc/>
    public ushort LocalPort => LocalEndpoint.Port;

    /// <inheritdoc/>
    public int BatchSize { get; }

    /// <inheritdoc/>
    public SafeHandle PollHandle => _inbox.WakeHandle;

    /// <summary>Datagrams that arrived for this bind but did not fit its inbox.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Datagrams this bind has received.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <inheritdoc/>
    public int Receive(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, Span<DatagramEndpoint> endpoints, int offset)
    {
        var max = Math.Min(Math.Min(buffers.Length, sizes.Length), Math.Min(endpoints.Length, BatchSize));
        while (max > 0 && !_inbox.IsShutdown)
        {
            var count = 0;
            while (count < max && !_inbox.IsShutdown
                && _inbox.TryPop(buffers[count].Span[offset..], out var size, out var remote, out var local))
            {
                sizes[count] = size;
                endpoints[count] = new DatagramEndpoint(remote, local, _interfaceIndex);
                count++;
            }
            if (count > 0)
            {
                Interlocked.Add(ref _received, count);
                return count;
            }
            _inbox.WaitReadable(Timeout.Infinite);
        }
        return 0;
    }

    /// <inheritdoc/>
    public int Send(ReadOnlySpan<Memory<byte>> datagrams, int offset, in DatagramEndpoint destination)
    {
        if (!destination.Remote.IsSet)
        {
            return 89; // EDESTADDRREQ
        }
        var target = _network.Find(destination.Remote);
        // The local address a datagram arrives on: the destination's address, without its port.
        var local = NetEndpoint.From(AddressOf(destination.Remote, stackalloc byte[16]), 0);
        foreach (var d in datagrams)
        {
            var payload = d[offset..];
            if (payload.Length > MaxDatagram)
            {
                return 90; // EMSGSIZE
            }
            if (_network.Filter is { } filter && !filter(Source, destination.Remote, payload))
            {
                continue;
            }
            if (target is null)
            {
                _network.CountUndeliverable();
                continue;
            }
            target.Deliver(Source, local, payload.Span);
        }
        return 0;
    }

    /// <inheritdoc/>
    public void Shutdown() => _inbox.Shutdown();

    /// <inheritdoc/>
    public void Dispose()
    {
        Shutdown();
        _network.Remove(this);
        _inbox.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => $"fake UDP socket on {LocalEndpoint}";

    private void Deliver(in NetEndpoint source, in NetEndpoint local, ReadOnlySpan<byte> payload)
    {
        if (!_inbox.TryPush(payload, source, local))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    private static ReadOnlySpan<byte> AddressOf(in NetEndpoint e, Span<byte> buffer) => buffer[..e.WriteAddress(buffer)];
}
