namespace SharpTun.WireGuard.Host;

/// <summary>The UDP bind's offload figures, passed through (TCP sends and receives are not in them).</summary>
internal sealed partial class TcpFallbackBind : IDatagramOffloadStatistics
{
    private IDatagramOffloadStatistics? Udp => _udp as IDatagramOffloadStatistics;

    public bool GsoEnabled => Udp?.GsoEnabled ?? false;

    public bool GroEnabled => Udp?.GroEnabled ?? false;

    public long GsoSends => Udp?.GsoSends ?? 0;

    public long GsoSegments => Udp?.GsoSegments ?? 0;

    public long GroReceives => Udp?.GroReceives ?? 0;

    public long GroSegments => Udp?.GroSegments ?? 0;

    public long SendCalls => Udp?.SendCalls ?? 0;

    public long ReceiveCalls => Udp?.ReceiveCalls ?? 0;
}
