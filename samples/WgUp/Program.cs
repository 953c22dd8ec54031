// `wg-quick up FILE` in a .NET program: brings up the WireGuard interface a wg-quick file describes (named after
// the file, like wg-quick), prints its peers' health every second, and takes everything down again on Ctrl-C
// (or after SECONDS). The stock `wg` tool sees the interface through its UAPI socket.
// Usage: WgUp /etc/wireguard/wg0.conf [SECONDS]   (root or CAP_NET_ADMIN)
using System.Globalization;
using SharpTun.WireGuard;
using SharpTun.WireGuard.Host;

if (args.Length == 0)
{
    Console.Error.WriteLine("usage: WgUp FILE.conf [SECONDS]");
    return 2;
}
var path = args[0];
var name = Path.GetFileNameWithoutExtension(path);
var config = HostConfig.FromConfig(WireGuardConfig.Load(path), name, path);
using var stop = args.Length > 1 ? new CancellationTokenSource(TimeSpan.FromSeconds(int.Parse(args[1], CultureInfo.InvariantCulture))) : new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

using (var host = WireGuardHost.Up(config, new HostLog(Console.Error, HostLogLevel.Info)))
{
    Console.WriteLine($"interface {name} up, UAPI socket {host.UapiPath}");
    while (!stop.IsCancellationRequested)
    {
        foreach (var peer in host.Interface.GetPeers())
        {
            var handshake = peer.LatestHandshake is { } t ? $"{(DateTimeOffset.UtcNow - t).TotalSeconds:0}s ago" : "never";
            Console.WriteLine($"peer {Convert.ToBase64String(peer.PublicKey)} {peer.State.ToString().ToLowerInvariant()} " +
                $"handshake {handshake} endpoint {peer.Endpoint?.ToString() ?? "(none)"} rx {peer.ReceiveBytes} tx {peer.TransmitBytes}");
        }
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1), stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
Console.WriteLine($"interface {name} down");
return 0;
