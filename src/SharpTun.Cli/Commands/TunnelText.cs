using SharpTun.Tunnel;

namespace SharpTun.Cli.Commands;

/// <summary>How the CLI prints a tunnel's counters (the lines tests and users read after SIGUSR1 and at exit).</summary>
internal static class TunnelText
{
    internal static string Counters(TunnelCounters c, string device) =>
        $"{device} -> peer: {c.DeviceToNetPackets} packets, {c.DeviceToNetBytes} bytes\n" +
        $"peer -> {device}: {c.NetToDevicePackets} packets, {c.NetToDeviceBytes} bytes\n" +
        $"connections: {c.Connections}, refused: {c.RefusedPeers}, timed out: {c.TimedOut}, protocol errors: {c.ProtocolErrors}\n" +
        $"dropped: no peer {c.DropNoPeer}, send failed {c.DropSendFailed}, runt {c.DropRunt}, oversize {c.DropOversize}, " +
        $"foreign {c.DropForeign}, device write errors {c.DeviceWriteErrors}\n" +
        $"offloads: super-packets split {c.SuperPacketsSplit}, written {c.SuperPacketsWritten}, refused {c.DropOffload}\n" +
        $"keepalives: sent {c.KeepalivesSent}, received {c.KeepalivesReceived}";
}
