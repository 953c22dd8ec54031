using System.Net;

namespace SharpTun.Lab;

/// <summary>The measurements every scenario makes across its tunnel: echo probe, then throughput with the best tool present.</summary>
public static class LabProbes
{
    /// <summary>Pings <paramref name="target"/> (in A) from namespace B: <see cref="LabOptions.Pings"/> requests, 0.2 s apart, 2 s timeout each.</summary>
    public static PingResult Ping(LabContext context, IPAddress target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return IcmpProbe.Ping(context.Topology.NamespaceB, target, context.Options.Pings, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2), cancellationToken);
    }

    /// <summary>TCP throughput from B to <paramref name="target"/> (in A): iperf3 when on PATH and allowed, else the built-in transfer.</summary>
    public static ThroughputResult Throughput(LabContext context, IPAddress target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var seconds = context.Options.Seconds;
        if (seconds <= 0)
        {
            return new ThroughputResult(ThroughputTool.None, null, 0, "disabled");
        }
        var t = context.Topology;
        if (context.Options.UseIperf3 && Iperf3Probe.Find() is { } iperf3)
        {
            return Iperf3Probe.Run(iperf3, t.NamespaceA, target, t.NamespaceB, seconds, cancellationToken);
        }
        return BulkTransfer.Run(t.NamespaceA, target, t.NamespaceB, TimeSpan.FromSeconds(seconds), cancellationToken);
    }
}
