using System.Runtime.InteropServices;
using SharpTun.IO;

namespace SharpTun.Testing.Fakes;

/// <summary>
/// An in-memory UDP socket at <see cref="Address"/> for driving pumps synchronously: datagrams sent
/// to an endpoint go to the bind registered for it in the shared <see cref="FakeNetwork"/>, tagged with
/// the sender's address. Receive never waits (0 = nothing queued); <see cref="PollHandle"/> is the real
/// eventfd of <see cref="Inbox"/>. For binds whose Receive waits, see <see cref="FakeDatagramNetwork"/>.
/// </summary>
public sealed class FakeBind : IDatagramBind
{
    private readonly FakeNetwork _network;

    /// <summary>A bind at <paramref name="address"/>, registered in <paramref name="network"/>.</summary>
    public FakeBind(FakeNetwork network, NetEndpoint address)
    {
        ArgumentNullException.ThrowIfNull(network);
        _network = network;
        Address = address;
        network.Register(this);
    }

    /// <summary>The endpoint this bind is reachable at.</summary>
    public NetEndpoint Address { get; }

    /// <summary>Datagrams received and not yet read, each tagged with its sender.</summary>
    public SlotRing Inbox { get; } = new(512, 2048);

    /// <summary>Datagrams sent, by count (what a "stays silent" test checks).</summary>
    public int SentCount { get; private set; }

    /// <summary>When non-zero, Send refuses every datagram with this errno (delivers nothing).</summary>
    public int SendErrno { get; set; }

    /// <summary>Reports the next received datagram as cut by the socket (size −1, as MSG_TRUNC).</summary>
    public bool TruncateNext { get; set; }

    /// <inheritdoc/>
    public ushort LocalPort => Address.Port;

    /// <inheritdoc/>
    public int BatchSize => 16;

    /// <inheritdoc/>
    public SafeHandle PollHandle => Inbox.WakeHandle;

    /// <inheritdoc/>
    public int Receive(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, Span<DatagramEndpoint> endpoints, int offset)
    {
        var n = 0;
        while (n < buffers.Length && !Inbox.IsShutdown && Inbox.TryPop(buffers[n].Span[offset..], out var size, out var from, out _))
        {
            sizes[n] = size;
            if (TruncateNext)
            {
                sizes[n] = -1;
                TruncateNext = false;
            }
            endpoints[n] = new DatagramEndpoint(from);
            n++;
        }
        return n;
    }

    /// <inheritdoc/>
    public int Send(ReadOnlySpan<Memory<byte>> datagrams, int offset, in DatagramEndpoint destination)
    {
        if (SendErrno != 0)
        {
            return SendErrno;
        }
        foreach (var d in datagrams)
        {
            SentCount++;
            _network.Deliver(destination.Remote, d.Span[offset..], Address);
        }
        return 0;
    }

    /// <inheritdoc/>
    public void Shutdown() => Inbox.Shutdown();

    /// <inheritdoc/>
    public void Dispose() => Inbox.Dispose();

    /// <inheritdoc/>
    public override string ToString() => $"fake UDP socket on {Address}";
}
