namespace SharpTun.Tunnel;

/// <summary>
/// One live path to the peer: a TCP connection, or the UDP socket with the peer's current address.
/// <see cref="Send"/> runs on the device-reading thread while <see cref="Receive"/> runs on
/// another; disposing the link makes both return.
/// </summary>
public interface IPeerLink : IDisposable
{
    /// <summary>The peer for logs ("198.18.0.2:40312"), or a placeholder while a UDP server has not heard from one.</summary>
    string PeerName { get; }

    /// <summary>True when <see cref="Send"/> has somewhere to send to.</summary>
    bool CanSend { get; }

    /// <summary>
    /// True when <see cref="Send"/> never waits for the peer (UDP), so the receiving thread may
    /// send too; false for TCP, where a receiver blocked in send(2) could deadlock with a peer
    /// doing the same.
    /// </summary>
    bool SendsWithoutBlocking { get; }

    /// <summary>Sends every packet of <paramref name="batch"/>; blocks while the transport pushes back. Throws when the link is broken.</summary>
    void Send(PacketBatch batch);

    /// <summary>Receives until the link ends (peer closed, protocol error, failure or cancellation); returns why, for the log.</summary>
    string Receive(IPacketSink sink, CancellationToken cancellationToken);
}
