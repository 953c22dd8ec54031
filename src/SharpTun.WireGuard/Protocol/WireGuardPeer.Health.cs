namespace SharpTun.WireGuard;

public sealed partial class WireGuardPeer
{
    // Handshake and packet counters: Interlocked, incremented by the core where the event happens.
    internal long InitiationsSentCount;
    internal long InitiationsReceivedCount;
    internal long ResponsesReceivedCount;
    internal long AttemptsFailedCount;
    internal long AttemptFailed = long.MinValue; // device ticks of the last attempt given up; under Sync
    private long _transmitPackets;
    private long _receivePackets;

    /// <summary>Handshake initiations sent to this peer (first tries and retries).</summary>
    public long HandshakeInitiationsSent => Volatile.Read(ref InitiationsSentCount);

    /// <summary>Authenticated initiations from this peer that were answered (a handshake it started).</summary>
    public long HandshakeInitiationsReceived => Volatile.Read(ref InitiationsReceivedCount);

    /// <summary>Authenticated responses from this peer (a handshake we started, completed).</summary>
    public long HandshakeResponsesReceived => Volatile.Read(ref ResponsesReceivedCount);

    /// <summary>Handshake attempts given up after REKEY_ATTEMPT_TIME (90 s) without a response.</summary>
    public long HandshakeAttemptsFailed => Volatile.Read(ref AttemptsFailedCount);

    /// <summary>Inner packets encrypted for this peer (keepalives not counted).</summary>
    public long TransmitPackets => Volatile.Read(ref _transmitPackets);

    /// <summary>Inner packets from this peer that decrypted and passed the allowed-IPs check (keepalives not counted).</summary>
    public long ReceivePackets => Volatile.Read(ref _receivePackets);

    internal void CountHandshake(ref long counter) => Interlocked.Increment(ref counter);

    internal void CountTransmittedPacket() => Interlocked.Increment(ref _transmitPackets);

    internal void CountReceivedPacket() => Interlocked.Increment(ref _receivePackets);
}
