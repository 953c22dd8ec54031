using System.Buffers.Binary;
using SharpTun.Netlink;

namespace SharpTun.Netlink.Tests;

/// <summary>
/// A fake netlink socket from a function (like mdlayher/netlink nltest): every sent request is recorded
/// and handed to <c>reply</c>, whose datagrams are queued for <see cref="Receive"/>.
/// </summary>
internal sealed class FakeNetlinkSocket(Func<byte[], IEnumerable<byte[]>> reply) : INetlinkSocket
{
    private readonly Queue<byte[]> _pending = new();

    public List<byte[]> Sent { get; } = [];

    public bool Disposed { get; private set; }

    public void Send(ReadOnlySpan<byte> message)
    {
        var copy = message.ToArray();
        Sent.Add(copy);
        foreach (var d in reply(copy))
        {
            _pending.Enqueue(d);
        }
    }

    public int Receive(Span<byte> buffer)
    {
        if (!_pending.TryDequeue(out var d))
        {
            throw new ExhaustedException();
        }
        d.CopyTo(buffer);
        return d.Length;
    }

    public void Dispose() => Disposed = true;

    /// <summary>The client waited for a reply the fake never sends (a real socket would block).</summary>
    internal sealed class ExhaustedException() : Exception("the client waited for a reply the fake never sends");

    internal static uint Seq(byte[] request) => BinaryPrimitives.ReadUInt32LittleEndian(request.AsSpan(8));

    internal static ushort Type(byte[] request) => BinaryPrimitives.ReadUInt16LittleEndian(request.AsSpan(4));
}
