using System.Net;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// Answers UAPI requests for one <see cref="WireGuardInterface"/> with the codec of SharpTun.WireGuard:
/// <c>get=1</c> → the device, its peers and counters; <c>set=1</c> → parsed whole first (a malformed
/// request gets its errno and changes nothing), then applied under the interface lock in wireguard-go's
/// order. The socket that may fail (a taken listen port) is opened before anything else changes.
/// </summary>
public sealed class UapiHandler
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
