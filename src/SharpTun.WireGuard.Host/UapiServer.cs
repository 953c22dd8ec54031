using System.Net.Sockets;
using System.Text;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// The cross-platform UAPI socket of one interface, where <c>wg</c> connects, exactly as wireguard-go
/// serves it: <c>/var/run/wireguard/NAME.sock</c>, a stream socket, mode 0600 (root). A connection may
/// carry several requests, each ending at the first empty line (<c>get=1\n\n</c>, <c>set=1\n…\n\n</c>);
/// each is answered with what the handler returns. An unknown operation closes the
/// connection (as wireguard-go does). The socket file is removed at <see cref="Dispose"/>.
/// </summary>
public sealed class UapiServer : IDisposable
{
    /// <summary>Where wireguard-go and <c>wg</c> keep the sockets.</summary>
    public const string SocketDirectory = "/var/run/wireguard";

    /// <summary>A request longer than this (a setconf of tens of thousands of peers) is refused.</summary>
    internal const int MaxRequestBytes = 64 << 20;

    private readonly Socket _listener;
    private readonly Func<string, string> _handler;
    private readonly Action<string, Socket>? _stream;
    private readonly Action<Stream>? _get;
    private readonly HostLog _log;
    private readonly string _name;
    private readonly Thread _acceptThread;
    private int _disposed;

    private UapiServer(Socket listener, string path, string name, Func<string, string> handler, HostLog log, Action<string, Socket>? stream,
        Action<Stream>? get)
    {
        _stream = stream;
        _get = get;
        _listener = listener;
        Path = path;
        _name = name;
        _handler = handler;
        _log = log;
        _acceptThread = new Thread(AcceptLoop) { IsBackground = true, Name = $"wg {name} uapi" };
        _acceptThread.Start();
    }

    /// <summary>The socket file.</summary>
    public string Path { get; }

    /// <summary>The socket path for an interface name.</summary>
    public static string PathFor(string interfaceName, string directory = SocketDirectory) =>
        System.IO.Path.Combine(directory, interfaceName + ".sock");

    /// <summary>
    /// Creates the socket for <paramref name="interfaceName"/> (the directory too, 0755 like wireguard-go)
    /// and starts answering. A stale socket file (nobody listening) is replaced; a live one means the
    /// interface is already served, and that is an error naming it.
    /// </summary>
    /// <remarks>
    /// <paramref name="stream"/>, when given, takes over the connection for a streaming extension request
    /// (<see cref="UapiClient.CaptureRequestPrefix"/>): it answers and writes on the socket itself, and the
    /// connection ends when it returns. <paramref name="get"/>, when given, answers a plain <c>get=1</c> by writing
    /// the answer to the connection as it is produced (a bounded buffer, however many peers), instead of
    /// <paramref name="handler"/> returning it whole; the connection then takes the next request.
    /// </remarks>
    public static UapiServer Start(string interfaceName, Func<string, string> handler, HostLog? log = null, string directory = SocketDirectory,
        Action<string, Socket>? stream = null, Action<Stream>? get = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Serve(Listen(interfaceName, directory), interfaceName, handler, log, directory, stream, get);
    }

    /// <summary>
    /// Serves on <paramref name="listener"/>, a socket already bound to <see cref="PathFor"/> and listening
    /// (from <see cref="Listen"/>, possibly in another process: WG_UAPI_FD). The server owns it and removes
    /// the socket file at <see cref="Dispose"/>.
    /// </summary>
    /// <remarks><paramref name="stream"/> and <paramref name="get"/>: as for <see cref="Start"/>.</remarks>
    public static UapiServer Serve(Socket listener, string interfaceName, Func<string, string> handler, HostLog? log = null,
        string directory = SocketDirectory, Action<string, Socket>? stream = null, Action<Stream>? get = null)
    {
        ArgumentNullException.ThrowIfNull(listener);
        ArgumentNullException.ThrowIfNull(handler);
        return new UapiServer(listener, PathFor(interfaceName, directory), interfaceName, handler, log ?? HostLog.None, stream, get);
    }

    /// <summary>
    /// Creates the socket file for <paramref name="interfaceName"/> (the directory too, 0755 like wireguard-go),
    /// mode 0600, listening, not yet answering (see <c>Serve</c>).
    /// A stale socket file (nobody listening) is replaced; a live one is an error naming the interface.
    /// </summary>
    public static Socket Listen(string interfaceName, string directory = SocketDirectory)
    {
        var path = PathFor(interfaceName, directory);
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        if (File.Exists(path))
        {
            if (IsLive(path))
            {
                throw new IOException($"cannot serve UAPI socket '{path}': another process is serving interface '{interfaceName}' on it");
            }
            File.Delete(path);
        }
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            // Only root may talk to it: the socket carries the private key.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            listener.Listen(16);
        }
        catch (SocketException e)
        {
            listener.Dispose();
            throw new IOException($"cannot create UAPI socket '{path}': {e.Message}", e);
        }
        return listener;
    }

    /// <summary>True when something accepts connections on <paramref name="path"/>.</summary>
    public static bool IsLive(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // Already gone.
        }
        catch (UnauthorizedAccessException)
        {
            // Dropped privileges (wg up --user): 'sharptun wg down' removes the stale file.
        }
        _listener.Dispose();
        if (_acceptThread != Thread.CurrentThread)
        {
            _acceptThread.Join(TimeSpan.FromSeconds(5));
        }
    }

    private void AcceptLoop()
    {
        while (Volatile.Read(ref _disposed) == 0)
        {
            Socket client;
            try
            {
                client = _listener.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            var t = new Thread(() => Serve(client)) { IsBackground = true, Name = $"wg {_name} uapi client" };
            t.Start();
        }
    }

    private void Serve(Socket client)
    {
        using var _ = client;
        NetworkStream? output = null;
        var pending = new List<byte>();
        var buffer = new byte[8192];
        try
        {
            while (true)
            {
                var end = IndexOfRequestEnd(pending, 0);
                while (end < 0)
                {
                    // Only the new bytes (and the one before them) can complete "\n\n": a 15 MB set is scanned once, not per read.
                    var scanned = Math.Max(0, pending.Count - 1);
                    var n = client.Receive(buffer);
                    if (n == 0)
                    {
                        return;
                    }
                    pending.AddRange(buffer.AsSpan(0, n));
                    if (pending.Count > MaxRequestBytes)
                    {
                        _log.Error(_name, $"UAPI request over {MaxRequestBytes >> 20} MiB refused");
                        return;
                    }
                    end = IndexOfRequestEnd(pending, scanned);
                }
                var request = Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pending)[..end]);
                pending.RemoveRange(0, end);
                if (!request.StartsWith("get=1\n", StringComparison.Ordinal) && !request.StartsWith("set=1\n", StringComparison.Ordinal)
                    && !UapiClient.IsExtension(request))
                {
                    _log.Error(_name, $"invalid UAPI operation '{request.Split('\n')[0]}'; connection closed");
                    return;
                }
                if (_stream is not null && request.StartsWith(UapiClient.CaptureRequestPrefix, StringComparison.Ordinal))
                {
                    _stream(request, client);
                    return;
                }
                if (_get is not null && request == UapiCodec.GetRequest)
                {
                    output ??= new NetworkStream(client, ownsSocket: false);
                    _get(output);
                    continue;
                }
                var answer = _handler(request);
                client.Send(Encoding.UTF8.GetBytes(answer));
            }
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            // The client went away (an IOException from the stream a get answer is written to).
        }
        finally
        {
            output?.Dispose();
        }
    }

    /// <summary>The length of the first request (through its empty line), or −1 when it is not complete yet.</summary>
    private static int IndexOfRequestEnd(List<byte> data, int from)
    {
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(data);
        var at = span[from..].IndexOf("\n\n"u8);
        return at < 0 ? -1 : from + at + 2;
    }
}
