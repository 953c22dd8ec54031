namespace SharpTun.IO;

/// <summary>
/// Where a datagram came from (or goes to): the remote <see cref="NetEndpoint"/>, plus the local
/// address and interface it arrived on (IP_PKTINFO / IPV6_PKTINFO), which a reply uses as its
/// source, and the <see cref="Transport"/> it came on. Equality and hashing are by <see cref="Remote"/>
/// and <see cref="Transport"/>: the local part is a hint.
/// </summary>
public readonly struct DatagramEndpoint : IEquatable<DatagramEndpoint>
{
    /// <summary>An endpoint with no local hint (the kernel picks the source address by route).</summary>
    public DatagramEndpoint(NetEndpoint remote)
    {
        Remote = remote;
    }

    /// <summary>An endpoint with the local address (port ignored) and interface index it was reached on.</summary>
    public DatagramEndpoint(NetEndpoint remote, NetEndpoint local, int interfaceIndex)
    {
        Remote = remote;
        Local = local;
        InterfaceIndex = interfaceIndex;
    }

    /// <summary>An endpoint on <paramref name="transport"/> (no local hint).</summary>
    public DatagramEndpoint(NetEndpoint remote, DatagramTransport transport)
    {
        Remote = remote;
        Transport = transport;
    }

    /// <summary>The peer's address and port.</summary>
    public NetEndpoint Remote { get; }

    /// <summary>The local address the datagram arrived on (port 0); unset when unknown.</summary>
    public NetEndpoint Local { get; }

    /// <summary>The interface the datagram arrived on; 0 when unknown.</summary>
    public int InterfaceIndex { get; }

    /// <summary>UDP (the default), or a TCP connection with <see cref="Remote"/> at its other end.</summary>
    public DatagramTransport Transport { get; }

    /// <inheritdoc/>
    public bool Equals(DatagramEndpoint other) => Remote.Equals(other.Remote) && Transport == other.Transport;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DatagramEndpoint e && Equals(e);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Remote, Transport);

    /// <summary>Equal remotes and transports.</summary>
    public static bool operator ==(DatagramEndpoint a, DatagramEndpoint b) => a.Equals(b);

    /// <summary>Different remotes or transports.</summary>
    public static bool operator !=(DatagramEndpoint a, DatagramEndpoint b) => !a.Equals(b);

    /// <inheritdoc/>
    public override string ToString() => Transport == DatagramTransport.Tcp ? "tcp:" + Remote : Remote.ToString();
}
