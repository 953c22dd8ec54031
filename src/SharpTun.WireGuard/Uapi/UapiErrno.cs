namespace SharpTun.WireGuard;

/// <summary>
/// The errno values a UAPI server answers with (Linux numbering, as wireguard-go's <c>ipc</c>
/// package uses them). On the wire they are written negated, <c>errno=-22</c>, exactly as
/// wireguard-go does and as <c>wg</c> (wireguard-tools 1.0.2021xxxx) expects; see
/// <see cref="UapiCodec.FormatStatus"/>.
/// </summary>
public static class UapiErrno
{
    /// <summary>EIO: reading the request or writing the answer failed.</summary>
    public const int IO = 5;

    /// <summary>EINVAL: a key is unknown or a value is malformed or out of range.</summary>
    public const int Invalid = 22;

    /// <summary>EPROTO: the request is not the UAPI text protocol (no <c>=</c>, bad framing, unknown operation).</summary>
    public const int Protocol = 71;

    /// <summary>EADDRINUSE: the listen port (or fwmark) could not be applied to the socket.</summary>
    public const int PortInUse = 98;
}
