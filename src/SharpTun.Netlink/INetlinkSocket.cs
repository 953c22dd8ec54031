namespace SharpTun.Netlink;

/// <summary>
/// A netlink socket as the clients (<see cref="RtNetlinkClient"/>, <see cref="SockDiagClient"/>) need it: send one request datagram, receive one
/// reply datagram (a batch datagram carries several requests, each answered by its own reply). The real one (AF_NETLINK, in SharpTun.Linux) talks to the kernel; tests pass a fake.
/// </summary>
public interface INetlinkSocket : IDisposable
{
    /// <summary>Sends one datagram to the kernel: one netlink message, or several back to back (a batch, each answered on its own).</summary>
    void Send(ReadOnlySpan<byte> message);

    /// <summary>Blocks until a datagram arrives, copies it into <paramref name="buffer"/> and returns its length.</summary>
    int Receive(Span<byte> buffer);
}
