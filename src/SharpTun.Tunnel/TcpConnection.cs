using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace SharpTun.Tunnel;

/// <summary>
/// One non-blocking TCP connection carrying simpletun framing (2-byte big-endian length, then the
/// packet). Output: a device batch is framed into one contiguous buffer and sent with one
/// send(2); what the kernel does not take stays pending (bounded by one batch) until the socket
/// polls writable. Input: one recv(2) of up to 256 KiB, every whole frame in it written to the
/// device as one batch (slices, no copy); a partial frame moves to the front for the next recv.
/// A bad length, or a close inside a frame, is a protocol error: nothing of that frame is written.
/// </summary>
internal sealed class TcpConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly TcpBuffers _buffers;
    private int _rxStart;
    private int _rxEnd;
    private int _txStart;
    private int _txEnd;

    internal TcpConnection(Socket socket, IPEndPoint remote, TcpBuffers buffers, long nowMs)
    {
        _socket = socket;
        _buffers = buffers;
        Remote = remote;
        Name = Describe(remote);
        OpenedMs = nowMs;
        LastReceiveMs = nowMs;
    }

    internal Socket Socket => _socket;

    internal IPEndPoint Remote { get; }

    internal string Name { get; }

    internal long OpenedMs { get; }

    /// <summary>When the last whole frame arrived (or the connection opened).</summary>
    internal long LastReceiveMs { get; private set; }

    /// <summary>True once a whole frame arrived from the peer.</summary>
    internal bool CarriedData { get; private set; }

    /// <summary>Output waiting for the socket to take it.</summary>
    internal bool HasPending => _txEnd > _txStart;

    /// <summary>For <see cref="ReceiveStatus.BadLength"/>: the length announced.</summary>
    internal int BadLength { get; private set; }

    /// <summary>For <see cref="ReceiveStatus.Truncated"/>: what the unfinished frame announced and held.</summary>
    internal string PartialDescription
    {
        get
        {
            var held = _rxEnd - _rxStart;
            if (held < 2)
            {
                return "1 byte of a length prefix";
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(_buffers.Receive.AsSpan(_rxStart));
            return $"length {length}, {held - 2} bytes received";
        }
    }

    /// <summary>Frames the batch into the send buffer and sends what the socket takes; false when the connection failed.</summary>
    internal bool Send(ReadOnlySpan<Memory<byte>> packets, ReadOnlySpan<int> sizes, int offset)
    {
        // The relay does not read the device while output is pending, so the buffer is empty here.
        var buffer = _buffers.Send.AsSpan();
        var end = 0;
        for (var i = 0; i < packets.Length; i++)
        {
            var size = sizes[i];
            BinaryPrimitives.WriteUInt16BigEndian(buffer[end..], (ushort)size);
            packets[i].Span.Slice(offset, size).CopyTo(buffer[(end + 2)..]);
            end += 2 + size;
        }
        _txStart = 0;
        _txEnd = end;
        return Flush();
    }

    /// <summary>Sends pending output until the socket would block; false when the connection failed.</summary>
    internal bool Flush()
    {
        while (_txEnd > _txStart)
        {
            var n = _socket.Send(_buffers.Send.AsSpan(_txStart, _txEnd - _txStart), SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                return true;
            }
            if (error != SocketError.Success)
            {
                _txStart = _txEnd = 0;
                return false;
            }
            _txStart += n;
        }
        _txStart = _txEnd = 0;
        return true;
    }

    /// <summary>One recv(2); whole frames go to the device. Returns how the connection stands.</summary>
    internal ReceiveStatus Receive(DeviceWriter device, long nowMs)
    {
        var buffer = _buffers.Receive;
        var n = _socket.Receive(buffer.AsSpan(_rxEnd), SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock)
        {
            return ReceiveStatus.Open;
        }
        if (error != SocketError.Success)
        {
            return ReceiveStatus.Failed;
        }
        if (n == 0)
        {
            return _rxEnd > _rxStart ? ReceiveStatus.Truncated : ReceiveStatus.Closed;
        }
        _rxEnd += n;
        var status = Decode(device, nowMs);
        if (_rxStart == _rxEnd)
        {
            _rxStart = _rxEnd = 0;
        }
        else if (buffer.Length - _rxEnd < _buffers.MaxPacket + 2)
        {
            // Keep room for a whole frame behind the partial one.
            buffer.AsSpan(_rxStart, _rxEnd - _rxStart).CopyTo(buffer);
            _rxEnd -= _rxStart;
            _rxStart = 0;
        }
        return status;
    }

    private ReceiveStatus Decode(DeviceWriter device, long nowMs)
    {
        var buffer = _buffers.Receive;
        var list = _buffers.Packets;
        var count = 0;
        var status = ReceiveStatus.Open;
        var pos = _rxStart;
        while (_rxEnd - pos >= 2)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(pos));
            if (length == 0 || length > _buffers.MaxPacket)
            {
                BadLength = length;
                status = ReceiveStatus.BadLength;
                break;
            }
            if (_rxEnd - pos < 2 + length)
            {
                break;
            }
            list[count++] = buffer.AsMemory(pos, 2 + length);
            pos += 2 + length;
            if (count == list.Length)
            {
                device.Write(list.AsSpan(0, count), 2);
                count = 0;
            }
        }
        device.Write(list.AsSpan(0, count), 2);
        if (pos != _rxStart)
        {
            CarriedData = true;
            LastReceiveMs = nowMs;
        }
        _rxStart = pos;
        return status;
    }

    /// <summary>Closes the connection; <paramref name="reset"/> sends RST (a refused or dropped peer) instead of FIN.</summary>
    internal void Close(bool reset)
    {
        try
        {
            if (reset)
            {
                _socket.LingerState = new LingerOption(true, 0);
            }
            else
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
        }
        catch (SocketException)
        {
        }
        _socket.Dispose();
        _rxStart = _rxEnd = _txStart = _txEnd = 0;
    }

    public void Dispose() => Close(reset: false);

    internal static string Describe(EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint ip when ip.Address.IsIPv4MappedToIPv6 => new IPEndPoint(ip.Address.MapToIPv4(), ip.Port).ToString(),
        null => "(unknown)",
        _ => endPoint.ToString() ?? "(unknown)",
    };
}
