using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using SharpTun.IO;

namespace SharpTun.Testing.Fakes;

/// <summary>
/// A tun queue for load (data-plane benchmarks and order tests): <see cref="Read"/> hands out pre-built
/// packets, cycling through them, <see cref="IPacketQueue.BatchSize"/> at a time without ever blocking,
/// until <paramref name="limit"/> packets were read; then it blocks, as an idle device, until <see cref="Shutdown"/>.
/// The first read waits for <see cref="Go"/>, so a measurement starts when the caller says. Write counts
/// packets and bytes and hands each packet to <see cref="OnWrite"/> (one writer thread at a time, as a
/// pipeline's in-order writer). Read allocates nothing.
/// </summary>
public sealed class LoadTun(string name, IReadOnlyList<ReadOnlyMemory<byte>> packets, long limit, int batchSize = 64) : IPacketQueue
{
    private readonly SafeFileHandle _handle = new(IntPtr.Zero, ownsHandle: false);
    private readonly ManualResetEventSlim _go = new();
    private long _read;
    private long _written;
    private long _bytesWritten;
    private readonly ManualResetEventSlim _stopped = new();
    private volatile bool _shutdown;

    /// <summary>Sees each written packet (offset applied); on the writing thread.</summary>
    public Action<ReadOnlyMemory<byte>>? OnWrite { get; set; }

    /// <summary>Packets read so far.</summary>
    public long PacketsRead => Interlocked.Read(ref _read);

    /// <summary>Packets written so far.</summary>
    public long PacketsWritten => Interlocked.Read(ref _written);

    /// <summary>Bytes written so far.</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <inheritdoc/>
    public string Name => name;

    /// <inheritdoc/>
    public bool IsEthernet => false;

    /// <inheritdoc/>
    public int MaxPacketSize => 1500;

    /// <inheritdoc/>
    public int VnetHeaderSize => 0;

    /// <inheritdoc/>
    public int BatchSize => batchSize;

    /// <inheritdoc/>
    public SafeHandle PollHandle => _handle;

    /// <summary>Lets the reads begin.</summary>
    public void Go() => _go.Set();

    /// <inheritdoc/>
    public int Read(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, int offset)
    {
        _go.Wait();
        var n = TryRead(buffers, sizes, offset);
        if (n == 0)
        {
            _stopped.Wait(); // all handed out: block as an idle device until the shutdown
        }
        return n;
    }

    /// <inheritdoc/>
    public int TryRead(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, int offset)
    {
        var read = _read;
        var n = (int)Math.Min(buffers.Length, limit - read);
        if (_shutdown || n <= 0)
        {
            return 0;
        }
        for (var i = 0; i < n; i++)
        {
            var p = packets[(int)((read + i) % packets.Count)].Span;
            p.CopyTo(buffers[i].Span[offset..]);
            sizes[i] = p.Length;
        }
        Volatile.Write(ref _read, read + n);
        return n;
    }

    /// <inheritdoc/>
    public int Write(ReadOnlySpan<Memory<byte>> written, int offset)
    {
        long bytes = 0;
        foreach (var p in written)
        {
            bytes += p.Length - offset;
            OnWrite?.Invoke(p[offset..]);
        }
        Interlocked.Add(ref _bytesWritten, bytes);
        Interlocked.Add(ref _written, written.Length);
        return written.Length;
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
    }
}
