using System.Net.Sockets;
using System.Text;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// sd_notify(3) without libsystemd: one datagram ("READY=1", "STOPPING=1", "STATUS=...") to the unix socket
/// named by $NOTIFY_SOCKET (a path, or "@name" for the abstract namespace), as a Type=notify unit expects.
/// Does nothing when the variable is unset (not started by systemd).
/// </summary>
public static class SystemdNotify
{
    /// <summary>Sends <paramref name="state"/> (newline-separated assignments); false when there is no socket or it failed (the reason in <paramref name="error"/>).</summary>
    public static bool Send(string state, out string? error, string? socketPath = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        error = null;
        socketPath ??= Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(socketPath))
        {
            return false;
        }
        // Abstract sockets: a leading '@' stands for the NUL byte (sd_notify's convention).
        var address = socketPath[0] == '@' ? "\0" + socketPath[1..] : socketPath;
        try
        {
            using var s = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            s.Connect(new UnixDomainSocketEndPoint(address));
            s.Send(Encoding.UTF8.GetBytes(state));
            return true;
        }
        catch (SocketException e)
        {
            error = $"cannot notify systemd on NOTIFY_SOCKET '{socketPath}': {e.Message}";
            return false;
        }
    }
}
