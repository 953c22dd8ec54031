namespace SharpTun.IO;

/// <summary>
/// Which transport a datagram came on (or goes out on). A plain UDP bind only ever says
/// <see cref="Udp"/>; a bind that also carries datagrams over a stream (SharpTun's encrypted TCP
/// fallback) says <see cref="Tcp"/> for those, so a reply goes back the same way.
/// </summary>
public enum DatagramTransport : byte
{
    /// <summary>A UDP datagram (the default).</summary>
    Udp = 0,

    /// <summary>A message framed on a TCP connection to or from <see cref="DatagramEndpoint.Remote"/>.</summary>
    Tcp = 1,
}
