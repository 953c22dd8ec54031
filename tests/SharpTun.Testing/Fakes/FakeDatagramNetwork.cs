using System.Net;
using SharpTun.IO;

namespace SharpTun.Testing.Fakes;

/// <summary>
/// An in-memory UDP network (like wireguard-go's bindtest): binds at endpoints, datagrams delivered
/// by destination endpoint. A datagram to an endpoint nobody is bound to is dropped (as UDP does)
/// and counted in <see cref="Undeliverable"/>. Tests spoof sources with <see cref="FakeDatagramBind.Source"/>
/// and drop or inspect traffic with <see cref="Filter"/>.
/// </summary>
public sealed class FakeDatagramNetwork
{
    private readonly Dictionary<NetEndpoint, FakeDatagramBind> _binds = [];
    private ushort _nextPort = 40000;
    private long _undeliverable;

    /// <summary>
    /// Called for every datagram (source as sent, destination, payload) before delivery; return false
    /// to drop it. Runs on the sending thread.
    /// </summary>
    public Func<NetEndpoint, NetEndpoint, ReadOnlyMemory<byte>, bool>? Filter { get; set; }

    /// <summary>Datagrams sent to an endpoint nobody is bound to.</summary>
    public long Undeliverable => Interlocked.Read(ref _undeliverable);

    /// <summary>A bind at <paramref name="local"/>; port 0 picks a free one. Throws when the endpoint is taken.</summary>
    public FakeDatagramBind Bind(NetEndpoint local, FakeBindOptions? options = null)
    {
        if (!local.IsSet)
        {
            throw new ArgumentException("a fake bind needs an address", nameof(local));
        }
        lock (_binds)
        {
            if (local.Port == 0)
            {
                var address = local.ToIPEndPoint().Address;
                do
                {
                    local = NetEndpoint.From(new IPEndPoint(address, _nextPort++));
                }
                while (_binds.ContainsKey(local));
            }
            if (_binds.ContainsKey(local))
            {
                throw new PacketIOException($"cannot bind fake UDP socket to {local}: address already in use", local.ToString(), 98);
            }
            var bind = new FakeDatagramBind(this, local, options ?? new FakeBindOptions());
            _binds.Add(local, bind);
            return bind;
        }
    }

    /// <summary>A bind at <c>ADDRESS:PORT</c> text (e.g. <c>198.18.0.1:51820</c>, <c>[2001:db8::1]:0</c>).</summary>
    public FakeDatagramBind Bind(string endPoint, FakeBindOptions? options = null) =>
        Bind(NetEndpoint.From(IPEndPoint.Parse(endPoint)), options);

    /// <summary>
    /// Moves <paramref name="bind"/> to <paramref name="to"/>, as a host whose address changed (or a NAT that
    /// rebound it): the same socket, now reachable at and sending from the new endpoint only.
    /// </summary>
    public void Move(FakeDatagramBind bind, NetEndpoint to)
    {
        ArgumentNullException.ThrowIfNull(bind);
        lock (_binds)
        {
            if (_binds.ContainsKey(to))
            {
                throw new PacketIOException($"cannot move fake UDP socket {bind.LocalEndpoint} to {to}: address already in use", to.ToString(), 98);
            }
            Remove(bind);
            bind.LocalEndpoint = to;
            bind.Source = to;
            _binds.Add(to, bind);
        }
    }

    internal void Remove(FakeDatagramBind bind)
    {
        lock (_binds)
        {
            if (_binds.TryGetValue(bind.LocalEndpoint, out var b) && ReferenceEquals(b, bind))
            {
                _binds.Remove(bind.LocalEndpoint);
            }
        }
    }

    internal FakeDatagramBind? Find(in NetEndpoint destination)
    {
        lock (_binds)
        {
            return _binds.GetValueOrDefault(destination);
        }
    }

    internal void CountUndeliverable() => Interlocked.Increment(ref _undeliverable);
}
