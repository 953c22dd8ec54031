using System.Buffers.Binary;

namespace SharpTun.Netlink;

/// <summary>
/// Request/reply over an <see cref="INetlinkSocket"/>: each request gets the next sequence number;
/// replies with another sequence number (stale ones) are skipped. A request with NLM_F_ACK ends at
/// its NLMSG_ERROR (error 0 = ACK); a dump collects NLM_F_MULTI parts until NLMSG_DONE. Kernel
/// errors become <see cref="NetlinkException"/> naming the operation, with the extended-ACK text.
/// Not thread-safe beyond one call at a time (calls are serialized by a lock).
/// </summary>
internal sealed class NetlinkConnection : IDisposable
{
    // Dump replies are at most max(16 KiB, page size) per datagram unless the reader offers more;
    // 64 KiB covers every kernel's NLMSG_GOODSIZE with room.
    private const int ReceiveBufferSize = 64 * 1024;

    private readonly INetlinkSocket _socket;
    private readonly byte[] _receive = new byte[ReceiveBufferSize];
    private readonly Lock _lock = new();
    private uint _sequence;

    /// <summary>Wraps <paramref name="socket"/>; the connection owns and disposes it.</summary>
    public NetlinkConnection(INetlinkSocket socket, uint firstSequence = 1)
    {
        ArgumentNullException.ThrowIfNull(socket);
        _socket = socket;
        _sequence = firstSequence - 1;
    }

    /// <summary>One reply message: its type, flags and body (after the 16-byte header).</summary>
    internal readonly record struct Message(ushort Type, ushort Flags, byte[] Payload);

    /// <summary>Sends a request with NLM_F_ACK and waits for the kernel's ACK; throws on an error reply.</summary>
    /// <param name="request">The request.</param>
    /// <param name="operation">What failed, for the message: e.g. "cannot add address 10.0.0.1/24 to 'eth9'".</param>
    internal void Execute(NetlinkMessageBuilder request, string operation)
    {
        request.Flags |= Nl.F_ACK;
        Exchange(request, operation, dump: false);
    }

    /// <summary>
    /// Most requests <see cref="ExecuteMany"/> puts in one datagram. The kernel answers each with its own ACK, a
    /// small skb that still charges several hundred bytes of truesize to our receive buffer (about 208 KiB unless
    /// rmem_max was raised): 64 in flight stay well under it even when every one fails and echoes its request.
    /// </summary>
    internal const int BatchSize = 64;

    /// <summary>
    /// Sends many requests with NLM_F_ACK, <see cref="BatchSize"/> per datagram (the kernel runs every message of a
    /// datagram in turn and acknowledges each), and collects their answers: one round trip per batch instead of one
    /// per request. A failed request does not stop the others; its slot of the result holds the error, named with
    /// <paramref name="operation"/> of its index. Null = done.
    /// </summary>
    internal NetlinkException?[] ExecuteMany(IReadOnlyList<NetlinkMessageBuilder> requests, Func<int, string> operation)
    {
        var results = new NetlinkException?[requests.Count];
        var answered = new bool[BatchSize];
        var datagram = new byte[BatchSize * 128];
        lock (_lock)
        {
            for (var start = 0; start < requests.Count; start += BatchSize)
            {
                var count = Math.Min(BatchSize, requests.Count - start);
                var first = _sequence + 1;
                var length = 0;
                for (var i = 0; i < count; i++)
                {
                    var request = requests[start + i];
                    request.Flags |= Nl.F_ACK;
                    var message = request.Finish(++_sequence);
                    if (length + message.Length > datagram.Length)
                    {
                        Array.Resize(ref datagram, Math.Max(datagram.Length * 2, length + message.Length));
                    }
                    message.CopyTo(datagram.AsSpan(length));
                    length += message.Length;
                }
                _socket.Send(datagram.AsSpan(0, length));
                Array.Clear(answered);
                var pending = count;
                while (pending > 0)
                {
                    var n = _socket.Receive(_receive);
                    if (n <= 0)
                    {
                        throw new NetlinkException($"{operation(start)}: the netlink socket returned no data");
                    }
                    var reader = new NetlinkMessageReader(_receive.AsSpan(0, n));
                    while (reader.Next())
                    {
                        var slot = unchecked(reader.Sequence - first);
                        if (slot >= (uint)count || reader.Type != Nl.NLMSG_ERROR || answered[slot])
                        {
                            continue; // a stale answer, or one not of this batch
                        }
                        answered[slot] = true;
                        pending--;
                        var error = ParseError(reader.Payload, reader.Flags, out var text);
                        if (error != 0)
                        {
                            results[start + (int)slot] = Error(operation(start + (int)slot), error, text);
                        }
                    }
                }
            }
        }
        return results;
    }

    /// <summary>Sends a request (a dump or a get) and returns every reply message until NLMSG_DONE or the ACK.</summary>
    internal List<Message> Query(NetlinkMessageBuilder request, string operation) =>
        Exchange(request, operation, dump: (request.Flags & Nl.F_DUMP) == Nl.F_DUMP);

    private List<Message> Exchange(NetlinkMessageBuilder request, string operation, bool dump)
    {
        lock (_lock)
        {
            var seq = ++_sequence;
            _socket.Send(request.Finish(seq));
            var replies = new List<Message>();
            while (true)
            {
                var n = _socket.Receive(_receive);
                if (n <= 0)
                {
                    throw new NetlinkException($"{operation}: the netlink socket returned no data");
                }
                var reader = new NetlinkMessageReader(_receive.AsSpan(0, n));
                var multi = false;
                while (reader.Next())
                {
                    if (reader.Sequence != seq)
                    {
                        continue;
                    }
                    switch (reader.Type)
                    {
                        case Nl.NLMSG_ERROR:
                            var error = ParseError(reader.Payload, reader.Flags, out var text);
                            if (error != 0)
                            {
                                throw Error(operation, error, text);
                            }
                            return replies;
                        case Nl.NLMSG_DONE:
                            if (reader.Payload.Length >= 4 && BinaryPrimitives.ReadInt32LittleEndian(reader.Payload) is < 0 and var e)
                            {
                                throw Error(operation, -e, ParseDoneText(reader.Payload, reader.Flags));
                            }
                            return replies;
                        case Nl.NLMSG_NOOP:
                            break;
                        case Nl.NLMSG_OVERRUN:
                            throw new NetlinkException($"{operation}: netlink receive buffer overrun");
                        default:
                            if ((reader.Flags & Nl.F_DUMP_INTR) != 0)
                            {
                                throw new NetlinkException($"{operation}: the dump was interrupted by a concurrent change; try again");
                            }
                            replies.Add(new Message(reader.Type, reader.Flags, reader.Payload.ToArray()));
                            multi |= (reader.Flags & Nl.F_MULTI) != 0;
                            break;
                    }
                }
                // A single (non-multipart) reply to a get without NLM_F_ACK is complete by itself.
                if (!dump && !multi && replies.Count > 0 && (request.Flags & Nl.F_ACK) == 0)
                {
                    return replies;
                }
            }
        }
    }

    internal static NetlinkException Error(string operation, int errno, string? kernelText)
    {
        var reason = ErrnoText.Describe(errno);
        var message = string.IsNullOrEmpty(kernelText) ? $"{operation}: {reason}" : $"{operation}: {reason} ({kernelText})";
        return new NetlinkException(message, errno, kernelText);
    }

    /// <summary>
    /// struct nlmsgerr: int error (negative errno, 0 = ACK), then the request's header, then its payload
    /// unless NLM_F_CAPPED, then extended-ACK attributes when NLM_F_ACK_TLVS. Returns the positive errno.
    /// </summary>
    internal static int ParseError(ReadOnlySpan<byte> payload, ushort flags, out string? text)
    {
        text = null;
        if (payload.Length < 4 + Nl.HeaderSize)
        {
            throw new NetlinkFormatException($"error message of {payload.Length} bytes, needs {4 + Nl.HeaderSize}");
        }
        var error = BinaryPrimitives.ReadInt32LittleEndian(payload);
        if ((flags & Nl.F_ACK_TLVS) != 0)
        {
            var offset = 4 + Nl.HeaderSize;
            if ((flags & Nl.F_CAPPED) == 0)
            {
                offset = 4 + Nl.Align((int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(payload[4..]), int.MaxValue - 8));
            }
            if (offset > payload.Length)
            {
                throw new NetlinkFormatException($"error message of {payload.Length} bytes with extended ACK at offset {offset}");
            }
            var attrs = new AttributeReader(payload[offset..]);
            while (attrs.Next())
            {
                if (attrs.Type == Nl.NLMSGERR_ATTR_MSG)
                {
                    text = attrs.String();
                }
            }
        }
        return error == int.MinValue ? int.MaxValue : -error;
    }

    private static string? ParseDoneText(ReadOnlySpan<byte> payload, ushort flags)
    {
        if ((flags & Nl.F_ACK_TLVS) == 0 || payload.Length <= 4)
        {
            return null;
        }
        string? text = null;
        var attrs = new AttributeReader(payload[4..]);
        while (attrs.Next())
        {
            if (attrs.Type == Nl.NLMSGERR_ATTR_MSG)
            {
                text = attrs.String();
            }
        }
        return text;
    }

    /// <summary>Disposes the socket.</summary>
    public void Dispose() => _socket.Dispose();
}
