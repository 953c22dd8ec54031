using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using SharpTun.IO;

namespace SharpTun.Testing.Fakes;

/// <summary>
/// A UDP bind for load (data-plane benchmarks and order tests). Receive replays <see cref="Replay"/>'s
/// datagrams once, <see cref="BatchSize"/> at a time, without blocking, once <see cref="Go"/> was called;
/// then (or with nothing to replay) it blocks, as an idle socket, until <see cref="Shutdown"/>. Send counts datagrams and
/// bytes and hands each to <see cref="OnSend"/> (any thread; serialize in the callback). Receive allocates nothing.
/// </summary>
public sealed class LoadBind(ushort port, int batchSize = 64) : IDatagramBind
{
    private readonly SafeFileHandle _handle = new(IntPtr.Zero, ownsHandle: false);
    private readonly ManualResetEventSlim _go = new();
    private IReadOnlyList<ReadOnlyMemory<byte>> _datagrams = [];
    private IReadOnlyList<DatagramEndpoint> _sources = [];
    private int _next;
    private long _sent;
    private long _bytesSent;
    private readonly ManualResetEventSlim _stopped = new();
    private volatile bool _shutdown;

    /// <summary>Sees each sent datagram and its destination (any thread).</summary>
    public Action<ReadOnlyMemory<byte>, DatagramEndpoint>? OnSend { get; set; }

    /// <summary>Datagrams sent so far.</summary>
    public long DatagramsSent => Interlocked.Read(ref _sent);

    /// <summary>Bytes sent so far.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Datagrams handed to Receive so far.</summary>
    public int DatagramsReceived => Volatile.Read(ref _next);

    /// <inheritdoc/>
    public ushort LocalPort => port;

    /// <inheritdoc/>
    public int BatchSize => batchSize;

    /// <inheritdoc/>
    public SafeHandle PollHandle => _handle;

    /// <summary>What Receive hands out, in order, each with its source (set before <see cref="Go"/>).</summary>
    public void Replay(IReadOnlyList<ReadOnlyMemory<byte>> datagrams, IReadOnlyList<DatagramEndpoint> sources)
    {
        ArgumentNullException.ThrowIfNull(datagrams);
        ArgumentNullException.ThrowIfNull(sources);
        if (datagrams.Count != sources.Count)
        {
            throw new ArgumentException($"{datagrams.Count} datagrams but {sources.Count} sources", nameof(sources));
        }
        _datagrams = datagrams;
        _sources = sources;
        _next = 0;
    }

    /// <summary>Lets the receives begin.</summary>
    public void Go() => _go.Set();

    /// <inheritdoc/>
    public int Receive(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, Span<DatagramEndpoint> endpoints, int offset)
    {
        _go.Wait();
        var next = _next;
        var n = Math.Min(buffers.Length, _datagrams.Count - next);
        if (_shutdown || n <= 0)
        {
            _stopped.Wait(); // all handed out: block as an idle socket until the shutdown
            return 0;
        }
        for (var i = 0; i < n; i++)
        {
            var d = _datagrams[next + i].Span;
            d.CopyTo(buffers[i].Span[offset..]);
            sizes[i] = d.Length;
            endpoints[i] = _sources[next + i];
        }
        Volatile.Write(ref _next, next + n);
        return n;
    }

    /// <inheritdoc/>
    public int Send(ReadOnlySpan<Memory<byte>> datagrams, int offset, in DatagramEndpoint destination)
    {
        long bytes = 0;
        foreach (var d in datagrams)
        {
            bytes += d.Length - offset;
            OnSend?.Invoke(d[offset..], destination);
        }
        Interlocked.Add(ref _bytesSent, bytes);
        Interlocked.Add(ref _sent, datagrams.Length);
        return 0;
    }

    /// <inheritdoc/>
    public void Shutdown()
    {
        _shutdown = true;
        _go.Set();
        _stopped.Set();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Shutdown();
        _handle.Dispose();
        _go.Dispose();
    }
}
