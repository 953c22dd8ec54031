namespace SharpTun.WireGuard.Host.Tests.Scenarios;

/// <summary>A bind that keeps a copy of every datagram sent through it (what a capture on the wire would see), for replays.</summary>
internal sealed class RecordingBind(IDatagramBind inner) : IDatagramBind
{
    private readonly List<byte[]> _sent = [];

    internal IDatagramBind Inner => inner;

    /// <summary>Copies of the datagrams sent so far, in order.</summary>
    internal List<byte[]> Sent
    {
        get
        {
            lock (_sent)
            {
                return [.. _sent];
            }
        }
    }

    public ushort LocalPort => inner.LocalPort;

    public bool HasPending => inner.HasPending;

    public int BatchSize => inner.BatchSize;

    public System.Runtime.InteropServices.SafeHandle PollHandle => inner.PollHandle;

    public int Receive(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, Span<DatagramEndpoint> endpoints, int offset) =>
        inner.Receive(buffers, sizes, endpoints, offset);

    public int Send(ReadOnlySpan<Memory<byte>> datagrams, int offset, in DatagramEndpoint destination)
    {
        lock (_sent)
        {
            foreach (var d in datagrams)
            {
                _sent.Add(d[offset..].ToArray());
            }
        }
        return inner.Send(datagrams, offset, destination);
    }

    public void Shutdown() => inner.Shutdown();

    public void Dispose() => inner.Dispose();
}
