using SharpTun.IO;

namespace SharpTun.Linux.Net;

public sealed partial class UdpBind
{
    private readonly Action<string>? _log;
    private int _gso;
    private string? _gsoDisabledReason;
    private long _gsoSends;
    private long _gsoSegments;
    private long _groReceives;
    private long _groSegments;
    private long _sendCalls;
    private long _receiveCalls;

    /// <inheritdoc/>
    public bool GsoEnabled => Volatile.Read(ref _gso) != 0;

    /// <inheritdoc/>
    public bool GroEnabled => _gro is not null;

    /// <inheritdoc/>
    public bool HasPending => _gro is { IsEmpty: false };

    /// <inheritdoc/>
    public long GsoSends => Interlocked.Read(ref _gsoSends);

    /// <inheritdoc/>
    public long GsoSegments => Interlocked.Read(ref _gsoSegments);

    /// <inheritdoc/>
    public long GroReceives => Interlocked.Read(ref _groReceives);

    /// <inheritdoc/>
    public long GroSegments => Interlocked.Read(ref _groSegments);

    /// <inheritdoc/>
    public long SendCalls => Interlocked.Read(ref _sendCalls);

    /// <inheritdoc/>
    public long ReceiveCalls => Interlocked.Read(ref _receiveCalls);

    /// <summary>How many times the bind pinned an array (tests: a steady pump pins its buffers once).</summary>
    internal long ArrayPins
    {
        get
        {
            var pins = _rx.Pins.Pins;
            foreach (var tx in _tx)
            {
                pins += tx.Pins.Pins;
            }
            return pins;
        }
    }

    /// <summary>Turns GSO off for good after the kernel refused a GSO send that went through without it; reports it once.</summary>
    private void DisableGso(int errno, in DatagramEndpoint destination)
    {
        if (Interlocked.Exchange(ref _gso, 0) == 0)
        {
            return;
        }
        var why = errno switch
        {
            SharpTun.Netlink.Errno.EIO => "the route cannot carry GSO packets: no checksum offload before Linux 6.11, or IPsec (EIO)",
            SharpTun.Netlink.Errno.EMSGSIZE => "a datagram with its headers is larger than the route's MTU (EMSGSIZE)",
            SharpTun.Netlink.Errno.EINVAL => "the kernel does not accept UDP_SEGMENT here (EINVAL)",
            _ => SharpTun.Netlink.Errno.Describe(errno),
        };
        var reason = $"{_label}: UDP GSO refused sending to {destination.Remote} ({why}); sending datagram by datagram (sendmmsg) from now on";
        Volatile.Write(ref _gsoDisabledReason, reason);
        _log?.Invoke(reason);
    }
}
