using System.Globalization;
using System.Text;
using SharpTun.WireGuard;
using SharpTun.WireGuard.Host;

namespace SharpTun.Cli.Commands;

/// <summary>
/// What the foreground <c>wg up</c> prints when it stops (SIGINT, SIGTERM): the interface's counters, one line per peer
/// that sent, received or completed a handshake; the others are counted in one line (with 100,000 configured peers
/// a line each made stopping take seconds).
/// </summary>
internal static class WgUpText
{
    /// <param name="name">The interface.</param>
    /// <param name="peerCount">How many peers it has.</param>
    /// <param name="peers">Its peers, or only those with traffic, a handshake or drops (the others add nothing to the sums).</param>
    /// <param name="drops">The interface's drop counters.</param>
    internal static string Counters(string name, int peerCount, IReadOnlyList<PeerStatus> peers, DropCounters drops)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{name}: {peerCount} peer(s), received {peers.Sum(p => p.ReceiveBytes)} bytes, sent {peers.Sum(p => p.TransmitBytes)} bytes, dropped {drops.Total}");
        var reasons = DropCounters.Reasons.Where(r => drops[r] > 0).Select(r => $"{DropCounters.Name(r)} {drops[r]}").ToList();
        if (reasons.Count > 0)
        {
            sb.Append(" (").AppendJoin(", ", reasons).Append(')');
        }
        sb.Append('\n');
        var quiet = peerCount - peers.Count;
        foreach (var p in peers)
        {
            if (p.ReceiveBytes == 0 && p.TransmitBytes == 0 && p.LatestHandshake is null && p.Drops.Count == 0)
            {
                quiet++;
                continue;
            }
            var handshake = p.LatestHandshake is { } hs ? hs.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) : "never";
            sb.Append(CultureInfo.InvariantCulture,
                $"{name}: peer {WireGuardKeys.ToBase64(p.PublicKey)}: received {p.ReceiveBytes} bytes ({p.ReceivePackets} packets), sent {p.TransmitBytes} bytes ({p.TransmitPackets} packets), latest handshake {handshake}, dropped {p.Drops.Values.Sum()}\n");
        }
        if (quiet > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{name}: {quiet} peer(s) with no traffic and no handshake not listed\n");
        }
        return sb.ToString();
    }
}
