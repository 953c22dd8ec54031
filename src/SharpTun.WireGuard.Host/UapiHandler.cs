using System.Net;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// Answers UAPI requests for one <see cref="WireGuardInterface"/> with the codec of SharpTun.WireGuard:
/// <c>get=1</c> → the device, its peers and counters; <c>set=1</c> → parsed whole first (a malformed
/// request gets its errno and changes nothing), then applied under the interface lock in wireguard-go's
/// order. The socket that may fail (a taken listen port) is opened before anything else changes.
/// </summary>
internal sealed class UapiHandler
{
    private readonly WireGuardInterface _interface;
    private readonly HostLog _log;

    /// <summary>A handler for <paramref name="wgInterface"/>.</summary>
    public UapiHandler(WireGuardInterface wgInterface, HostLog? log = null)
    {
        _interface = wgInterface;
        _log = log ?? HostLog.None;
    }

    /// <summary>The whole answer to one request (including the errno line and the empty line).</summary>
    public string Handle(string request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.StartsWith("get=1\n", StringComparison.Ordinal))
        {
            if (request != UapiCodec.GetRequest)
            {
                _log.Error(_interface.Name, "UAPI get: trailing text after 'get=1'");
                return UapiCodec.FormatStatus(UapiErrno.Invalid);
            }
            return UapiCodec.FormatGet(_interface.Snapshot());
        }
        if (request == UapiClient.DropsRequest)
        {
            return DropsText();
        }
        if (request == UapiClient.StatusRequest)
        {
            return StatusText.Format(_interface);
        }
        if (request.StartsWith(UapiClient.CaptureRequestPrefix, StringComparison.Ordinal))
        {
            _log.Error(_interface.Name, "UAPI: a capture request needs a streaming connection");
            return UapiCodec.FormatStatus(UapiErrno.Invalid);
        }
        if (!UapiCodec.TryParseSet(request, out var set, out var error))
        {
            _log.Error(_interface.Name, error!.Message + "; nothing changed");
            return UapiCodec.FormatStatus(error.Errno);
        }
        try
        {
            _interface.Apply(set!);
            return UapiCodec.FormatStatus(0);
        }
        catch (UapiException e)
        {
            _log.Error(_interface.Name, e.Message);
            return UapiCodec.FormatStatus(e.Errno);
        }
    }

    /// <summary>
    /// A streaming request on <paramref name="client"/>: <c>sharptun_capture=1</c> with an optional
    /// <c>public_key=HEX</c> line. Answers <c>errno=0</c> and an empty line, then the pcap stream until the client
    /// shuts its side down (what is queued is written first) or goes away; an unknown peer or a malformed request
    /// is answered with its errno (ENOENT, EINVAL) alone. Runs on the connection's thread.
    /// </summary>
    public void Stream(string request, System.Net.Sockets.Socket client)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        byte[]? key = null;
        foreach (var line in request.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            if (!line.StartsWith("public_key=", StringComparison.Ordinal) || key is not null
                || line.Length != "public_key=".Length + 64 || !IsHex(line.AsSpan("public_key=".Length)))
            {
                _log.Error(_interface.Name, $"UAPI capture: invalid line '{line}'");
                client.Send(System.Text.Encoding.UTF8.GetBytes(UapiCodec.FormatStatus(UapiErrno.Invalid)));
                return;
            }
            key = Convert.FromHexString(line.AsSpan("public_key=".Length));
        }
        using var output = new System.Net.Sockets.NetworkStream(client, ownsSocket: false);
        bool Closed() => client.Poll(0, System.Net.Sockets.SelectMode.SelectRead) && client.Available == 0;
        var header = System.Text.Encoding.UTF8.GetBytes(UapiCodec.FormatStatus(0));
        try
        {
            _interface.Capture(key, output, Closed, () => output.Write(header));
        }
        catch (KeyNotFoundException e)
        {
            _log.Error(_interface.Name, e.Message);
            client.Send(System.Text.Encoding.UTF8.GetBytes(UapiCodec.FormatStatus(2)));
        }
        catch (System.Net.Sockets.SocketException)
        {
            // The reader went away.
        }
    }

    private static bool IsHex(ReadOnlySpan<char> text) => !text.ContainsAnyExcept("0123456789abcdefABCDEF");

    /// <summary>
    /// The drop counters as lines: <c>drop_REASON=N</c> for the interface, then per peer
    /// <c>public_key=HEX</c> and its own <c>drop_REASON=N</c> lines (non-zero only); then errno=0.
    /// </summary>
    private string DropsText()
    {
        var sb = new System.Text.StringBuilder();
        foreach (var reason in DropCounters.Reasons)
        {
            if (_interface.Drops[reason] is var n and > 0)
            {
                sb.Append("drop_").Append(DropCounters.Name(reason)).Append('=').Append(n).Append('\n');
            }
        }
        foreach (var peer in _interface.GetPeers())
        {
            sb.Append("public_key=").Append(Convert.ToHexStringLower(peer.PublicKey)).Append('\n');
            foreach (var (reason, n) in peer.Drops)
            {
                sb.Append("drop_").Append(DropCounters.Name(reason)).Append('=').Append(n).Append('\n');
            }
        }
        return sb.Append(UapiCodec.FormatStatus(0)).ToString();
    }
}
