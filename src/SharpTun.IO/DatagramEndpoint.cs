namespace SharpTun.IO;

/// <summary>
/// Where a datagram came from (or goes to): the remote <see cref="NetEndpoint"/>, plus the local
/// address and interface it arrived on (IP_PKTINFO / IPV6_PKTINFO), which a reply uses as its
/// source. Equality and hashing are by <see cref="Remote"/> only: the local part is a hint.
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

    /// <summary>The peer's address and port.</summary>
    public NetEndpoint Remote { get; }

    /// <summary>The local address the datagram arrived on (port 0); unset when unknown.</summary>
    public NetEndpoint Local { get; }

    /// <summary>The interface the datagram arrived on; 0 when unknown.</summary>
    public int InterfaceIndex { get; }

    /// <inheritdoc/>
    public bool Equals(DatagramEndpoint other) => Remote.Equals(other.Remote);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DatagramEndpoint e && Equals(e);

    /// <inheritdoc/>
    public override int GetHashCode() => Remote.GetHashCode();

    /// <summary>Equal remotes.</summary>
    public static bool operator ==(DatagramEndpoint a, DatagramEndpoint b) => a.Equals(b);

    /// <summary>Different remotes.</summary>
    public static bool operator !=(DatagramEndpoint a, DatagramEndpoint b) => !a.Equals(b);

    /// <inheritdoc/>
    public override string ToString() => Remote.ToString();
}
