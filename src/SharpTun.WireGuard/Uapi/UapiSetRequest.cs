namespace SharpTun.WireGuard;

/// <summary>
/// A parsed UAPI <c>set=1</c> request: what to change on the device, then per peer, in request
/// order. Produced whole by <see cref="UapiCodec.ParseSet"/> (a malformed request produces nothing,
/// so nothing is applied); apply it in this order, as wireguard-go does:
/// <list type="number">
/// <item><see cref="PrivateKey"/> (all zeros: remove the key), <see cref="ListenPort"/>, <see cref="FwMark"/> (0: none);</item>
/// <item><see cref="ReplacePeers"/>: remove every peer;</item>
/// <item>each <see cref="Peers"/> entry in order (several entries may name the same peer; later ones see earlier ones' effect).</item>
/// </list>
/// A null property means "leave unchanged".
/// </summary>
public sealed class UapiSetRequest
{
    /// <summary>The new private key (32 bytes; all zeros = remove it), or null.</summary>
    public byte[]? PrivateKey { get; set; }

    /// <summary>The new UDP listen port (0 = any free port), or null.</summary>
    public ushort? ListenPort { get; set; }

    /// <summary>The new fwmark of outgoing datagrams (0 = none), or null.</summary>
    public uint? FwMark { get; set; }

    /// <summary>Remove every existing peer before applying <see cref="Peers"/>.</summary>
    public bool ReplacePeers { get; set; }

    /// <summary>The peer changes, in request order.</summary>
    public List<UapiPeerChange> Peers { get; } = [];
}
