using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SharpTun.WireGuard.Host.Tests;

/// <summary>
/// An in-memory UDP socket at <see cref="Address"/>: datagrams sent to an endpoint go to the bind registered
/// for it in the shared <see cref="FakeNetwork"/>, tagged with the sender's address. Receive never waits.
/// </summary>
internal sealed class FakeBind : IDatagramBind
{
    private readonly FakeNetwork _network;
    private readonly SafeFileHandle _handle = new(IntPtr.Zero, ownsHandle: false);

    internal FakeBind(FakeNetwork network, NetEndpoint address)
    {
        _network = network;
        Address = address;
        network.Register(this);
    }

    internal NetEndpoint Address { get; }

    internal SlotRing Inbox { get; } = new(512, 2048);

    /// <summary>Datagrams sent, by count (what a "stays silent" test checks).</summary>
    internal int SentCount { get; private set; }

    /// <summary>When non-zero, Send refuses every datagram with this errno (delivers nothing).</summary>
    internal int SendErrno { get; set; }

    /// <summary>Reports the next received datagram as cut by the socket (size −1, as MSG_TRUNC).</summary>
    internal bool TruncateNext { get; set; }

    public ushort LocalPort => Address.Port;

    public int BatchSize => 16;

    public SafeHandle PollHandle => _handle;

    public int Receive(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, Span<DatagramEndpoint> endpoints, int offset)
    {
        var n = 0;
        while (n < buffers.Length && Inbox.Count > 0)
        {
            sizes[n] = Inbox.Pop(buffers[n].Span[offset..], out var from);
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

    public void Shutdown()
    {
    }

    public void Dispose() => _handle.Dispose();
}
