namespace SharpTun.IO;

/// <summary>
/// Optional on an <see cref="IDatagramBind"/>: whether UDP segmentation offload (GSO, one send
/// carrying many datagrams) and receive coalescing (GRO, one receive returning many) are in use,
/// and counters that prove it. A host reads it from <see cref="IDatagramBind.OffloadStatistics"/>.
/// Counters only grow; any thread may read them.
/// </summary>
public interface IDatagramOffloadStatistics
{
    /// <summary>True while sends use GSO (false when off by option, unsupported, or refused once).</summary>
    bool GsoEnabled { get; }

    /// <summary>True once receives use GRO.</summary>
    bool GroEnabled { get; }

    /// <summary>Messages sent with GSO (each carries two or more datagrams).</summary>
    long GsoSends { get; }

    /// <summary>Datagrams sent inside GSO messages.</summary>
    long GsoSegments { get; }

    /// <summary>Received messages that held two or more coalesced datagrams.</summary>
    long GroReceives { get; }

    /// <summary>Datagrams split out of coalesced messages.</summary>
    long GroSegments { get; }

    /// <summary>System calls made to send (sendmmsg), for datagrams-per-call figures.</summary>
    long SendCalls { get; }

    /// <summary>System calls that returned datagrams (recvmmsg).</summary>
    long ReceiveCalls { get; }
}
