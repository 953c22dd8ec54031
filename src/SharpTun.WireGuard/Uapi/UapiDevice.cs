namespace SharpTun.WireGuard;

/// <summary>
/// A snapshot of a device for a UAPI <c>get=1</c> answer (<see cref="UapiCodec.FormatGet"/>), or what
/// <see cref="UapiCodec.ParseGet"/> read from one. Values that are zero/null are omitted on the wire,
/// as wireguard-go omits them.
/// </summary>
public sealed class UapiDevice
{
    /// <summary>The private key (32 bytes), or null when none is set.</summary>
    public byte[]? PrivateKey { get; set; }

    /// <summary>The UDP port the device listens on (0 = not listening).</summary>
    public ushort ListenPort { get; set; }

    /// <summary>The fwmark of outgoing datagrams (0 = none).</summary>
    public uint FwMark { get; set; }

    /// <summary>The peers.</summary>
    public List<UapiPeer> Peers { get; } = [];
}
