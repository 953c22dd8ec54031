using System.Net;
using System.Net.Sockets;
using SharpTun.Linux.Namespaces;

namespace SharpTun.Tunnel.Tests;

/// <summary>
/// netem's "loss L% delay D reorder R%" for one UDP flow, in user space, for kernels built without
/// sch_netem: the client sends to <see cref="Front"/> (loopback in its namespace); each datagram,
/// either way, is dropped with probability L, sent at once with probability R (overtaking the
/// delayed ones), or else sent after D. Seeded; runs until disposed.
/// </summary>
internal sealed class ImpairingUdpProxy : IDisposable
{
    private readonly Socket _front;
    private readonly Socket _back;
    private readonly Random _random;
    private readonly double _loss;
    private readonly double _reorder;
    private readonly TimeSpan _delay;
    private readonly PriorityQueue<(byte[] Data, bool ToServer), DateTime> _queue = new();
    private readonly object _lock = new();
    private readonly Thread[] _threads;
    private EndPoint? _client;
    private volatile bool _stop;

    public ImpairingUdpProxy(string nameSpace, IPEndPoint server, int seed, double loss, TimeSpan delay, double reorder)
    {
        _random = new Random(seed);
        _loss = loss;
        _reorder = reorder;
        _delay = delay;
        (_front, _back) = NetNamespace.Run(nameSpace, () =>
        {
            var front = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            front.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var back = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            back.Connect(server);
            return (front, back);
        });
        Front = (IPEndPoint)_front.LocalEndPoint!;
        _threads = [new Thread(FromClient), new Thread(FromServer), new Thread(Deliver)];
        foreach (var t in _threads)
        {
            t.IsBackground = true;
            t.Start();
        }
    }

    public IPEndPoint Front { get; }

    private void FromClient()
    {
        var buffer = new byte[65536];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop)
        {
            try
            {
                var n = _front.ReceiveFrom(buffer, ref from);
                Volatile.Write(ref _client, from);
                Schedule(buffer.AsSpan(0, n).ToArray(), toServer: true);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    private void FromServer()
    {
        var buffer = new byte[65536];
        while (!_stop)
        {
            try
            {
                var n = _back.Receive(buffer);
                Schedule(buffer.AsSpan(0, n).ToArray(), toServer: false);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    private void Schedule(byte[] data, bool toServer)
    {
        lock (_lock)
        {
            var r = _random.NextDouble();
            if (r < _loss)
            {
                return;
            }
            var due = _random.NextDouble() < _reorder ? DateTime.UtcNow : DateTime.UtcNow + _delay;
            _queue.Enqueue((data, toServer), due);
            Monitor.PulseAll(_lock);
        }
    }

    private void Deliver()
    {
        while (!_stop)
        {
            (byte[] Data, bool ToServer) item;
            lock (_lock)
            {
                if (!_queue.TryPeek(out _, out var due))
                {
                    Monitor.Wait(_lock, 100);
                    continue;
                }
                var wait = due - DateTime.UtcNow;
                if (wait > TimeSpan.Zero)
                {
                    Monitor.Wait(_lock, wait);
                    continue;
                }
                item = _queue.Dequeue();
            }
            try
            {
                if (item.ToServer)
                {
                    _back.Send(item.Data);
                }
                else if (Volatile.Read(ref _client) is { } client)
                {
                    _front.SendTo(item.Data, client);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }
    }

    public void Dispose()
    {
        _stop = true;
        _front.Dispose();
        _back.Dispose();
        lock (_lock)
        {
            Monitor.PulseAll(_lock);
        }
        foreach (var t in _threads)
        {
            t.Join(2000);
        }
    }
}
