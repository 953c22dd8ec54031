using System.Net;
using SharpTun.IO;
using SharpTun.Linux.Namespaces;
using SharpTun.Linux.Net;
using SharpTun.Linux.Netlink;
using SharpTun.Linux.Tun;
using SharpTun.Netlink;
using SharpTun.WireGuard;
using SharpTun.WireGuard.Host;

namespace SharpTun.Lab;

/// <summary>
/// One SharpTun WireGuard interface inside a lab namespace: its tun device and UDP socket are opened in
/// that namespace, addresses and MTU set there over rtnetlink; the pumps run in this process. Disposing
/// closes the device (it disappears with its addresses and routes).
/// </summary>
internal sealed class WireGuardLabPeer : IDisposable
{
    internal const string Device = "wg0";
    internal const ushort Port = 51820;

    private WireGuardLabPeer(WireGuardInterface wg) => Interface = wg;

    internal WireGuardInterface Interface { get; }

    internal static WireGuardLabPeer Open(string nameSpace, byte[] privateKey, IpPrefix address, Action<string> log)
    {
        var wg = NetNamespace.Run(nameSpace, () =>
        {
            var tun = WireGuardHost.OpenTun(Device);
            try
            {
                return new WireGuardInterface(tun, privateKey,
                    (port, mark) => NetNamespace.Run(nameSpace, () => WireGuardHost.DefaultBind(port, mark)), Port,
                    log: new HostLog(new LineWriter(log), HostLogLevel.Info));
            }
            catch
            {
                tun.Dispose();
                throw;
            }
        });
        try
        {
            using var nl = RtNetlink.OpenInNamespace(nameSpace);
            new NetworkSetup(nl, Device).ConfigureLink([address], NetworkSetup.DefaultMtu);
            wg.Start();
            return new WireGuardLabPeer(wg);
        }
        catch
        {
            wg.Dispose();
            throw;
        }
    }

    internal static LabSide Side(string role, WireGuardInterface wg)
    {
        var peer = wg.GetPeers().FirstOrDefault();
        List<LabCounter> counters =
        [
            new("peer tx bytes (UDP payload)", peer?.TransmitBytes ?? 0),
            new("peer rx bytes (UDP payload)", peer?.ReceiveBytes ?? 0),
            new("handshake completed", peer?.LatestHandshake is null ? 0 : 1),
        ];
        var offloads = wg.Offloads;
        if (offloads.Enabled != PacketOffloads.None)
        {
            counters.Add(new("tun super-packets split (TSO/USO)", offloads.SuperPacketsRead));
            counters.Add(new("tun super-packets written (GRO)", offloads.SuperPacketsWritten));
        }
        // Only the drop reasons that happened (no_route: the kernel's own IPv6 chatter has no peer).
        counters.AddRange(DropCounters.Reasons.Where(r => wg.Drops[r] > 0)
            .Select(r => new LabCounter("dropped " + DropCounters.Name(r).Replace('_', ' '), wg.Drops[r])));
        return new LabSide(role, counters);
    }

    public void Dispose() => Interface.Dispose();

    /// <summary>Host log lines to the lab's progress sink.</summary>
    private sealed class LineWriter(Action<string> sink) : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void WriteLine(string? value) => sink(value ?? "");
    }
}
