namespace SharpTun.WireGuard.Host.Tests;

/// <summary>The "wire" between fake binds: delivery by destination endpoint; unknown destinations are counted as lost.</summary>
internal sealed class FakeNetwork
{
    private readonly Dictionary<NetEndpoint, FakeBind> _binds = [];

    internal int Lost { get; private set; }

    internal void Register(FakeBind bind) => _binds[bind.Address] = bind;

    internal void Deliver(NetEndpoint to, ReadOnlySpan<byte> datagram, NetEndpoint from)
    {
        if (_binds.TryGetValue(to, out var b))
        {
            b.Inbox.Push(datagram, from);
        }
        else
        {
            Lost++;
        }
    }
}
