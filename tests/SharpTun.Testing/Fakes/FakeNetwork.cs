using SharpTun.IO;

namespace SharpTun.Testing.Fakes;

/// <summary>
/// The "wire" between <see cref="FakeBind"/>s: delivery by destination endpoint, on the sending
/// thread. Unknown destinations and binds that were shut down count as <see cref="Lost"/>.
/// </summary>
public sealed class FakeNetwork
{
    private readonly Dictionary<NetEndpoint, FakeBind> _binds = [];

    /// <summary>Datagrams sent to an endpoint nobody (listening) is bound to.</summary>
    public int Lost { get; private set; }

    /// <summary>Makes <paramref name="bind"/> reachable at its address (a later bind at the same address replaces it).</summary>
    public void Register(FakeBind bind)
    {
        ArgumentNullException.ThrowIfNull(bind);
        _binds[bind.Address] = bind;
    }

    /// <summary>Queues <paramref name="datagram"/> from <paramref name="from"/> in the inbox of the bind at <paramref name="to"/>.</summary>
    public void Deliver(NetEndpoint to, ReadOnlySpan<byte> datagram, NetEndpoint from)
    {
        if (_binds.TryGetValue(to, out var b) && !b.Inbox.IsShutdown)
        {
            b.Inbox.Push(datagram, from);
        }
        else
        {
            Lost++;
        }
    }
}
