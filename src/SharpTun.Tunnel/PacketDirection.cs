namespace SharpTun.Tunnel;

/// <summary>Which way a packet crossed the tunnel.</summary>
public enum PacketDirection
{
    /// <summary>Read from the local device and sent to the peer (simpletun's TAP2NET).</summary>
    DeviceToPeer,

    /// <summary>Received from the peer and written to the local device (simpletun's NET2TAP).</summary>
    PeerToDevice,
}
