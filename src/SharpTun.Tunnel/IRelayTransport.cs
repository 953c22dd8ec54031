using SharpTun.Linux.IO;

namespace SharpTun.Tunnel;

/// <summary>
/// The network side of a <see cref="Relay"/>: a TCP server or client, or a UDP bind. It lives on
/// the relay's event-loop thread: the relay waits on the device and on the handles the transport
/// registers, then lets the transport handle what is ready (accept, connect, receive, flush, timers)
/// and hands it each batch read from the device.
/// </summary>
internal interface IRelayTransport : IDisposable
{
    /// <summary>For the start-up line ("TCP server on 198.18.0.1:55555").</summary>
    string Description { get; }

    /// <summary>The current peer ("198.18.0.2:40312"), or null.</summary>
    string? PeerName { get; }

    /// <summary>True when a batch from the device has somewhere to go now.</summary>
    bool CanSend { get; }

    /// <summary>True while earlier output is still pending (a stalled TCP peer): the relay stops reading the device.</summary>
    bool IsBacklogged { get; }

    /// <summary>The most packets one <see cref="Send"/> takes (the relay reads the device in batches of at most this).</summary>
    int MaxBatch { get; }

    /// <summary>Changes whenever the set of handles to wait on changed (a connection came or went).</summary>
    int HandleVersion { get; }

    /// <summary>Adds the transport's handles to a fresh poller (after the device).</summary>
    void Register(Poller poller);

    /// <summary>Sets what each registered handle waits for now.</summary>
    void UpdateInterest(Poller poller);

    /// <summary>
    /// True when the transport holds received data its registered handles cannot show (the rest of a
    /// UDP GRO message): the relay then does not wait before the next <see cref="Process"/>.
    /// </summary>
    bool HasPending => false;

    /// <summary>Milliseconds until the next timer (keepalive, deadline, reconnect); -1 for none.</summary>
    long MillisecondsToNextTimer(long nowMs);

    /// <summary>Handles readiness from the last wait and due timers; packets from the peer go to <paramref name="device"/>.</summary>
    void Process(Poller poller, long nowMs, DeviceWriter device);

    /// <summary>Sends a batch read from the device (<c>packets[i].Span[offset..offset + sizes[i]]</c>, with <c>offset</c> bytes of headroom in front); returns false when it was dropped.</summary>
    bool Send(ReadOnlySpan<Memory<byte>> packets, ReadOnlySpan<int> sizes, int offset, long nowMs);
}
