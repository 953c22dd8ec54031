using SharpTun.Packets.Offload;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// One outbound batch and all its buffers: its own <see cref="TunOffloadReader"/> (the tun read slots with
/// headroom in front of each packet, and the segment slots a TSO/USO super-packet is split into), and per element the work (slot, length), what the
/// per-peer stage decided (a reserved counter to seal, or a finished result) and the sealed result.
/// </summary>
internal sealed class OutboundBatch : PipelineBatch
{
    internal OutboundBatch(TunOffloadReader reader)
    {
        Reader = reader;
        var work = reader.Capacity;
        Elements = new Memory<byte>[work];
        WorkLength = new int[work];
        Tickets = new SealTicket[work];
        Results = new WireGuardResult[work];
        States = new PeerState?[work];
        Out = new Memory<byte>[work];
        OutDestination = new DatagramEndpoint[work];
        OutPeer = new PeerState?[work];
        OutSent = new bool[work];
        Group = new Memory<byte>[work];
        Drain = new PeerState[work];
    }

    /// <summary>The batch's tun reader and its slots: read slots (headroom in front of each packet) and the segment slots a TSO/USO super-packet is split into.</summary>
    internal TunOffloadReader Reader { get; }

    /// <summary>The elements: a slot (packet at headroom) and the packet's length.</summary>
    internal Memory<byte>[] Elements { get; }
    internal int[] WorkLength { get; }
    internal int WorkCount;

    /// <summary>How many elements have a reserved counter (0: nothing to seal).</summary>
    internal int Seals;

    /// <summary>Per element: the reserved counter (Peer set = still to seal), else the finished result.</summary>
    internal SealTicket[] Tickets { get; }
    internal WireGuardResult[] Results { get; }
    internal PeerState?[] States { get; }

    /// <summary>The device whose counters the tickets were reserved on (fixed for the batch by the pump gate).</summary>
    internal WireGuardDevice? Device;

    internal Memory<byte>[] Out { get; }
    internal DatagramEndpoint[] OutDestination { get; }
    internal PeerState?[] OutPeer { get; }
    internal bool[] OutSent { get; }
    internal Memory<byte>[] Group { get; }

    /// <summary>Peers with packets queued behind this batch's, drained after it is sent.</summary>
    internal PeerState[] Drain { get; }
    internal int DrainCount;

    /// <summary>The seal stage: every reserved element, in place.</summary>
    internal override void Work()
    {
        if (Seals == 0)
        {
            return;
        }
        var device = Device!;
        for (var i = 0; i < WorkCount; i++)
        {
            if (Tickets[i].IsReserved)
            {
                var slot = Elements[i].Span;
                Results[i] = device.Seal(Tickets[i], slot.Slice(WireGuardInterface.Headroom, WorkLength[i]), slot);
            }
        }
    }
}
