using System.Collections.Concurrent;

namespace SharpTun.WireGuard.Host.Tests.Transport;

/// <summary>Runs a bind's receive loop on its own thread (as the net pump does) and keeps what arrives.</summary>
internal sealed class BindRunner : IDisposable
{
    private readonly IDatagramBind _bind;
    private readonly Thread _thread;
    private Exception? _fault;

    internal BindRunner(IDatagramBind bind)
    {
        _bind = bind;
        _thread = new Thread(Loop) { IsBackground = true, Name = "bind-runner" };
        _thread.Start();
    }

    internal BlockingCollection<(byte[] Data, DatagramEndpoint From)> Received { get; } = [];

    /// <summary>Waits for the next datagram (fails after <paramref name="timeout"/> or when the loop died).</summary>
    internal (byte[] Data, DatagramEndpoint From) Next(TimeSpan timeout)
    {
        if (!Received.TryTake(out var item, timeout))
        {
            throw new TimeoutException($"no datagram within {timeout.TotalSeconds:0} s{(_fault is null ? "" : $"; the receive loop failed: {_fault}")}");
        }
        return item;
    }

    private void Loop()
    {
        const int batch = 64;
        var buffers = new Memory<byte>[batch];
        for (var i = 0; i < batch; i++)
        {
            buffers[i] = new byte[70_000];
        }
        var sizes = new int[batch];
        var endpoints = new DatagramEndpoint[batch];
        try
        {
            while (true)
            {
                var n = _bind.Receive(buffers, sizes, endpoints, 0);
                if (n == 0)
                {
                    return;
                }
                for (var i = 0; i < n; i++)
                {
                    Received.Add((sizes[i] < 0 ? [] : buffers[i].Span[..sizes[i]].ToArray(), endpoints[i]));
                }
            }
        }
        catch (Exception e)
        {
            _fault = e;
        }
    }

    internal void EnsureAlive()
    {
        if (_fault is not null)
        {
            throw new InvalidOperationException("the receive loop failed", _fault);
        }
        Assert.True(_thread.IsAlive, "the receive loop ended");
    }

    public void Dispose()
    {
        _bind.Shutdown();
        _thread.Join(TimeSpan.FromSeconds(10));
        _bind.Dispose();
    }
}
