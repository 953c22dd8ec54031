using System.Net.Sockets;

namespace SharpTun.Testing.Fakes;

/// <summary>
/// Two connected AF_UNIX SOCK_SEQPACKET sockets (message boundaries kept, a real fd to poll), made
/// through .NET's Socket API with an abstract-namespace listener. Both are non-blocking.
/// </summary>
internal static class SeqPacketPair
{
    internal static (Socket A, Socket B) Create()
    {
        var endPoint = new UnixDomainSocketEndPoint("\0sharptun-fake-" + Guid.NewGuid().ToString("N"));
        using var listener = new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);
        listener.Bind(endPoint);
        listener.Listen(1);
        var a = new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);
        try
        {
            a.Connect(endPoint);
            var b = listener.Accept();
            a.Blocking = false;
            b.Blocking = false;
            return (a, b);
        }
        catch
        {
            a.Dispose();
            throw;
        }
    }
}
