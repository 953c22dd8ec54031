using System.Net.Sockets;
using System.Text;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>Talks the cross-platform UAPI directly on a unix socket (what <c>wg</c> does), for raw and malformed requests.</summary>
internal static class Uapi
{
    internal static string SocketPath(string name) => $"/var/run/wireguard/{name}.sock";

    /// <summary>Sends <paramref name="request"/> (must end with an empty line) and returns everything up to the closing empty line.</summary>
    internal static string Request(string name, string request, int timeoutMs = 10_000)
    {
        using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        s.ReceiveTimeout = timeoutMs;
        s.SendTimeout = timeoutMs;
        s.Connect(new UnixDomainSocketEndPoint(SocketPath(name)));
        s.Send(Encoding.ASCII.GetBytes(request));
        var sb = new StringBuilder();
        var buf = new byte[4096];
        while (!sb.ToString().Contains("\n\n", StringComparison.Ordinal))
        {
            int n;
            try
            {
                n = s.Receive(buf);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut || e.SocketErrorCode == SocketError.WouldBlock)
            {
                throw new TimeoutException($"UAPI {SocketPath(name)}: no complete answer within {timeoutMs} ms to {Escape(request)}; got {Escape(sb.ToString())}");
            }
            if (n == 0)
            {
                break;
            }
            sb.Append(Encoding.ASCII.GetString(buf, 0, n));
        }
        return sb.ToString();
    }

    /// <summary>True if the socket answers <c>get=1</c> with <c>errno=0</c>.</summary>
    internal static bool Answers(string name)
    {
        if (!File.Exists(SocketPath(name)))
        {
            return false;
        }
        try
        {
            return Request(name, "get=1\n\n", 2000).Contains("errno=0\n", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or TimeoutException or IOException)
        {
            return false;
        }
    }

    internal static string Escape(string s) => s.Replace("\n", "\\n", StringComparison.Ordinal);
}
