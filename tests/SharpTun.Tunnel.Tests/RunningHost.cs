using System.Collections.Concurrent;

namespace SharpTun.Tunnel.Tests;

/// <summary>A <see cref="TunnelHost"/> (in a namespace) running on its own thread, its events collected; Dispose stops it and checks it stopped.</summary>
internal sealed class RunningHost : IDisposable
{
    private readonly ConcurrentQueue<TunnelEvent> _events = new();
    private readonly Thread _thread;
    private Exception? _failure;

    public RunningHost(TunnelSettings settings)
    {
        Host = TunnelHost.Open(settings, _events.Enqueue);
        _thread = new Thread(() =>
        {
            try
            {
                Host.Run(CancellationToken.None);
            }
            catch (Exception e)
            {
                Volatile.Write(ref _failure, e);
            }
        })
        { IsBackground = true, Name = $"tunnel host {settings.NetworkNamespace}" };
        _thread.Start();
    }

    public TunnelHost Host { get; }

    public TunnelCounters Counters => Host.Counters;

    public IReadOnlyList<TunnelEvent> Events => [.. _events];

    public Exception? Failure => Volatile.Read(ref _failure);

    /// <summary>Polls until <paramref name="condition"/> holds; fails at once when the host's loop failed.</summary>
    public void WaitUntil(Func<bool> condition, string what, double seconds = 20) =>
        Poll.Until(() =>
        {
            Assert.Null(Failure);
            return condition();
        }, what, TimeSpan.FromSeconds(seconds), TimeSpan.FromMilliseconds(20));

    /// <summary>Stops the loop (events are flushed) and asserts it ended in time and without failure.</summary>
    public void Stop()
    {
        Host.Stop();
        Assert.True(_thread.Join(5000), "the tunnel host did not stop within 5 s");
        Assert.Null(Failure);
    }

    public void Dispose()
    {
        Host.Stop();
        _thread.Join(5000);
        Host.Dispose();
    }
}
