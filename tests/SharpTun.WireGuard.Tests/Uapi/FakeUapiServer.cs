using System.Net.Sockets;
using System.Text;

namespace SharpTun.WireGuard.Tests;

/// <summary>
/// A minimal UAPI server for judging the codec with the stock <c>wg</c>: listens on
/// /var/run/wireguard/NAME.sock, answers get with <see cref="UapiCodec.FormatGet"/> of a fixed device
/// and set with the status of <see cref="UapiCodec.ParseSet"/>, recording every set request.
/// </summary>
internal sealed class FakeUapiServer : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly Thread _thread;
    private readonly UapiDevice _device;
    private volatile bool _stopped;

    internal FakeUapiServer(string name, UapiDevice device)
    {
        Name = name;
        _device = device;
        Directory.CreateDirectory("/var/run/wireguard");
        Path = $"/var/run/wireguard/{name}.sock";
        File.Delete(Path);
        _listener.Bind(new UnixDomainSocketEndPoint(Path));
        _listener.Listen(8);
        _thread = new Thread(Serve) { IsBackground = true, Name = "fake-uapi" };
        _thread.Start();
    }

    internal string Name { get; }

    internal string Path { get; }

    internal List<string> SetRequests { get; } = [];

    private void Serve()
    {
        while (!_stopped)
        {
            Socket conn;
            try
            {
                conn = _listener.Accept();
            }
            catch (SocketException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            using (conn)
            {
                conn.ReceiveTimeout = 5000;
                var text = ReadRequest(conn);
                if (text.Length == 0)
                {
                    continue; // wg probes the socket by connecting and closing
                }
                string answer;
                if (text == UapiCodec.GetRequest)
                {
                    answer = UapiCodec.FormatGet(_device);
                }
                else
                {
                    lock (SetRequests)
                    {
                        SetRequests.Add(text);
                    }
                    answer = UapiCodec.FormatStatus(UapiCodec.TryParseSet(text, out _, out var error) ? 0 : error!.Errno);
                }
                try
                {
                    conn.Send(Encoding.ASCII.GetBytes(answer));
                }
                catch (SocketException)
                {
                }
            }
        }
    }

    private static string ReadRequest(Socket conn)
    {
        var sb = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            while (!sb.ToString().Contains("\n\n", StringComparison.Ordinal))
            {
                var n = conn.Receive(buffer);
                if (n == 0)
                {
                    break;
                }
                sb.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }
        }
        catch (SocketException)
        {
        }
        return sb.ToString();
    }

    public void Dispose()
    {
        _stopped = true;
        _listener.Dispose();
        _thread.Join(TimeSpan.FromSeconds(10));
        File.Delete(Path);
    }
}
