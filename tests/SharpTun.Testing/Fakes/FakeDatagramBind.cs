using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using SharpTun.IO;

namespace SharpTun.Testing.Fakes;

/// <summary>
/// A bind on a <see cref="FakeDatagramNetwork"/>. Its inbox is an AF_UNIX SOCK_SEQPACKET pair, so
/// <see cref="PollHandle"/> is a real fd, readable while datagrams wait and after <see cref="Shutdown"/>.
/// Every received datagram reports the sender's <see cref="Source"/> as remote and the address it
/// was sent to as local. A full inbox drops (counted in <see cref="Dropped"/>), as a socket buffer does.
/// </summary>
public sealed class FakeDatagramBind : IDatagramBind
{
    // Per datagram in the inbox: source (family byte, 16 address bytes, port) and destination address, then the payload.
    private const int HeaderSize = 2 * 19;
    private const int MaxDatagram = 65535;

    private readonly FakeDatagramNetwork _network;
    private readonly Socket _inboxWriter;
    private readonly Socket _inboxReader;
    private readonly object _sendLock = new();
    private readonly byte[] _sendScratch = new byte[HeaderSize + MaxDatagram];
    private readonly byte[] _receiveScratch = new byte[HeaderSize + MaxDatagram];
    private readonly int _interfaceIndex;
    private volatile bool _shutdown;
    private long _dropped;
    private long _received;

    internal FakeDatagramBind(FakeDatagramNetwork network, NetEndpoint local, FakeBindOptions options)
    {
        _network = network;
        LocalEndpoint = local;
        Source = local;
        BatchSize = options.BatchSize;
        _interfaceIndex = options.InterfaceIndex;
        (_inboxWriter, _inboxReader) = SeqPacketPair.Create();
        _inboxWriter.SendBufferSize = options.QueueBytes;
        _inboxReader.ReceiveBufferSize = options.QueueBytes;
    }

    /// <summary>The endpoint this bind is reachable at (changed by <see cref="FakeDatagramNetwork.Move"/>).</summary>
    public NetEndpoint LocalEndpoint { get; internal set; }

    /// <summary>The source endpoint stamped on what this bind sends: its own unless a test spoofs another.</summary>
    public NetEndpoint Source { get; set; }

    /// <inheritdoc/>
    public ushort LocalPort => LocalEndpoint.Port;

    /// <inheritdoc/>
    public int BatchSize { get; }

    /// <inheritdoc/>
    public SafeHandle PollHandle => _inboxReader.SafeHandle;

    /// <summary>Datagrams that arrived for this bind but did not fit its inbox.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Datagrams this bind has received.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <inheritdoc/>
    public int Receive(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, Span<DatagramEndpoint> endpoints, int offset)
    {
        var max = Math.Min(Math.Min(buffers.Length, sizes.Length), Math.Min(endpoints.Length, BatchSize));
        while (!_shutdown && max > 0)
        {
            var count = 0;
            while (count < max && !_shutdown)
            {
                var n = _inboxReader.Receive(_receiveScratch, SocketFlags.None, out var error);
                if (error != SocketError.Success || n < HeaderSize || _shutdown)
                {
                    break;
                }
                var scratch = _receiveScratch.AsSpan(0, n);
                var remote = ReadEndpoint(scratch);
                var local = ReadEndpoint(scratch[19..]);
                var payload = scratch[HeaderSize..];
                var destination = buffers[count].Span[offset..];
                if (payload.Length > destination.Length)
                {
                    payload[..destination.Length].CopyTo(destination);
                    sizes[count] = -1;
                }
                else
                {
                    payload.CopyTo(destination);
                    sizes[count] = payload.Length;
                }
                endpoints[count] = new DatagramEndpoint(remote, local, _interfaceIndex);
                count++;
            }
            if (count > 0)
            {
                Interlocked.Add(ref _received, count);
                return count;
            }
            if (!_shutdown)
            {
                _inboxReader.Poll(-1, SelectMode.SelectRead);
            }
        }
        return 0;
    }

    /// <inheritdoc/>
    public int Send(ReadOnlySpan<Memory<byte>> datagrams, int offset, in DatagramEndpoint destination)
    {
        if (!destination.Remote.IsSet)
        {
            return 89; // EDESTADDRREQ
        }
        var target = _network.Find(destination.Remote);
        lock (_sendLock)
        {
            foreach (var d in datagrams)
            {
                var payload = d[offset..];
                if (payload.Length > MaxDatagram)
                {
                    return 90; // EMSGSIZE
                }
                if (_network.Filter is { } filter && !filter(Source, destination.Remote, payload))
                {
                    continue;
                }
                if (target is null)
                {
                    _network.CountUndeliverable();
                    continue;
                }
                target.Deliver(_sendScratch, Source, destination.Remote, payload.Span);
            }
        }
        return 0;
    }

    /// <inheritdoc/>
    public void Shutdown()
    {
        _shutdown = true;
        try
        {
            _inboxReader.Shutdown(SocketShutdown.Receive);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Shutdown();
        _network.Remove(this);
        _inboxWriter.Dispose();
        _inboxReader.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => $"fake UDP socket on {LocalEndpoint}";

    // scratch belongs to the sender (under its lock); the inbox socket takes concurrent writers.
    private void Deliver(byte[] scratch, in NetEndpoint source, in NetEndpoint destination, ReadOnlySpan<byte> payload)
    {
        WriteEndpoint(scratch, source);
        WriteEndpoint(scratch.AsSpan(19), NetEndpoint.From(AddressOf(destination, stackalloc byte[16]), 0));
        payload.CopyTo(scratch.AsSpan(HeaderSize));
        _inboxWriter.Send(scratch.AsSpan(0, HeaderSize + payload.Length), SocketFlags.None, out var error);
        if (error != SocketError.Success)
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    private static ReadOnlySpan<byte> AddressOf(in NetEndpoint e, Span<byte> buffer) => buffer[..e.WriteAddress(buffer)];

    private static void WriteEndpoint(Span<byte> b, in NetEndpoint e)
    {
        b[..19].Clear();
        var n = e.WriteAddress(b[1..17]);
        b[0] = (byte)n;
        BinaryPrimitives.WriteUInt16BigEndian(b[17..], e.Port);
    }

    private static NetEndpoint ReadEndpoint(ReadOnlySpan<byte> b) =>
        NetEndpoint.From(b.Slice(1, b[0]), BinaryPrimitives.ReadUInt16BigEndian(b[17..]));
}
