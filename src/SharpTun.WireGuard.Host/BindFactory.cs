namespace SharpTun.WireGuard.Host;

/// <summary>
/// Opens the interface's UDP socket (IPv4 and IPv6) on <paramref name="port"/> (0 = the kernel's
/// choice) with <paramref name="fwmark"/> on every datagram sent (0 = none). Called at start and
/// again whenever UAPI changes listen_port or fwmark — then on the UAPI server's thread, so a factory
/// for another network namespace must enter it itself (<c>NetNamespace.Run</c>). Throws when the port is taken.
/// </summary>
public delegate IDatagramBind BindFactory(ushort port, uint fwmark);
