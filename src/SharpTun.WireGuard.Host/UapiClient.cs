using System.Net.Sockets;
using System.Text;

namespace SharpTun.WireGuard.Host;

/// <summary>Talks to a UAPI socket as <c>wg</c> does (one request per connection); for <c>sharptun wg show</c> and tests.</summary>
public static class UapiClient
{
    /// <summary>The SharpTun extension request answered with drop counters (not part of the UAPI; wireguard-go closes on it).</summary>
    public const string DropsRequest = "sharptun_drops=1\n\n";

    /// <summary>The SharpTun extension request answered with per-peer health (<see cref="StatusText"/>); stock <c>wg</c> never sends it.</summary>
    public const string StatusRequest = "sharptun_status=1\n\n";

    /// <summary>The SharpTun extension that starts a capture stream on the connection (<c>sharptun_capture=1</c>, optional <c>public_key=HEX</c>).</summary>
    public const string CaptureRequestPrefix = "sharptun_capture=1\n";

    /// <summary>True for a request SharpTun answers beyond the UAPI (the stock operations are get and set).</summary>
    internal static bool IsExtension(string request) => request.StartsWith("sharptun_", StringComparison.Ordinal);

    /// <summary>Interface names with a socket in <paramref name="directory"/>, sorted (what <c>wg show</c> lists).</summary>
    public static IReadOnlyList<string> List(string directory = UapiServer.SocketDirectory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }
        return Directory.EnumerateFiles(directory, "*.sock").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Sends <paramref name="request"/> to interface <paramref name="name"/> and returns the whole answer (through its empty line).</summary>
    public static string Send(string name, string request, string directory = UapiServer.SocketDirectory)
    {
        var path = UapiServer.PathFor(name, directory);
        if (!File.Exists(path))
        {
            throw new IOException($"interface '{name}' is not up: no UAPI socket {path}");
        }
        using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            s.Connect(new UnixDomainSocketEndPoint(path));
            s.Send(Encoding.UTF8.GetBytes(request));
            var answer = new StringBuilder();
            var buffer = new byte[8192];
            while (!answer.ToString().Contains("\n\n", StringComparison.Ordinal))
            {
                var n = s.Receive(buffer);
                if (n == 0)
                {
                    break;
                }
                answer.Append(Encoding.UTF8.GetString(buffer, 0, n));
            }
            var text = answer.ToString();
            if (!text.Contains("\n\n", StringComparison.Ordinal))
            {
                throw new IOException($"interface '{name}': the UAPI socket {path} closed before answering");
            }
            return text;
        }
        catch (SocketException e)
        {
            throw new IOException($"interface '{name}': cannot talk to UAPI socket {path}: {e.Message}", e);
        }
    }
}
