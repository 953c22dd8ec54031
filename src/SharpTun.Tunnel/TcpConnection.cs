using System.Net;
using System.Net.Sockets;
using SharpTun.IO;
using SharpTun.Linux.Net;

namespace SharpTun.Tunnel;

/// <summary>
/// The relay's TCP peer: a <see cref="StreamConnection"/> (simpletun's framing, 2-byte big-endian
/// length then the packet) over the transport's <see cref="TcpBuffers"/>, plus what the relay's
/// policy reads (when it opened, when a frame last arrived). Output: a device batch is framed into
/// the send buffer and sent with one send(2); what the kernel does not take stays pending (bounded by
/// one batch) until the socket polls writable. Input: one recv(2) of up to 256 KiB, every whole frame
/// in it written to the device as one batch (slices, no copy). A bad length, or a close inside a
/// frame, is a protocol error: nothing of that frame is written.
/// </summary>
internal sealed class TcpConnection : IDisposable
{
    private readonly StreamConnection _stream;
    private readonly TcpBuffers _buffers;

    internal TcpConnection(Socket socket, IPEndPoint remote, TcpBuffers buffers, long nowMs)
    {
        _buffers = buffers;
        Remote = remote;
        Name = Describe(remote);
        _stream = new StreamConnection(socket, new StreamDeframer(buffers.Receive, buffers.MaxPacket, Name), new StreamFramer(buffers.Send));
        OpenedMs = nowMs;
        LastReceiveMs = nowMs;
    }

    internal Socket Socket => _stream.Socket;

    internal IPEndPoint Remote { get; }

    internal string Name { get; }

    internal long OpenedMs { get; }

    /// <summary>When the last whole frame arrived (or the connection opened).</summary>
    internal long LastReceiveMs { get; private set; }

    /// <summary>True once a whole frame arrived from the peer.</summary>
    internal bool CarriedData { get; private set; }

    /// <summary>Output waiting for the socket to take it.</summary>
    internal bool HasPending => _stream.HasOutput;

    /// <summary>For <see cref="ReceiveStatus.BadLength"/>: the frame's problem, naming the peer.</summary>
    internal string? Problem => _stream.Input.Problem;

    /// <summary>For <see cref="ReceiveStatus.Truncated"/>: what the unfinished frame announced and held.</summary>
    internal string PartialDescription => _stream.Input.DescribePartial();

    /// <summary>Frames the batch and sends what the socket takes; false when the connection failed.</summary>
    // The relay does not read the device while output is pending, so one batch always fits.
    internal bool Send(ReadOnlySpan<Memory<byte>> packets, ReadOnlySpan<int> sizes, int offset) => _stream.Send(packets, sizes, offset) == 0;

    /// <summary>Sends pending output until the socket would block; false when the connection failed.</summary>
    internal bool Flush() => _stream.Flush();

    /// <summary>One recv(2); whole frames go to the device. Returns how the connection stands.</summary>
    internal ReceiveStatus Receive(DeviceWriter device, long nowMs) => _stream.Receive(out _) switch
    {
        StreamReceive.WouldBlock => ReceiveStatus.Open,
        StreamReceive.Failed => ReceiveStatus.Failed,
        StreamReceive.Ended => _stream.Input.Buffered > 0 ? ReceiveStatus.Truncated : ReceiveStatus.Closed,
        _ => Decode(device, nowMs),
    };

    private ReceiveStatus Decode(DeviceWriter device, long nowMs)
    {
        var input = _stream.Input;
        var list = _buffers.Packets;
        var count = 0;
        var frames = 0;
        StreamFrameStatus status;
        while ((status = input.Next(out var packet)) == StreamFrameStatus.Message)
        {
            list[count++] = packet;
            frames++;
            if (count == list.Length)
            {
                device.Write(list.AsSpan(0, count), 0);
                count = 0;
            }
        }
        device.Write(list.AsSpan(0, count), 0);
        if (frames > 0)
        {
            CarriedData = true;
            LastReceiveMs = nowMs;
        }
        return status == StreamFrameStatus.Invalid ? ReceiveStatus.BadLength : ReceiveStatus.Open;
    }

    /// <summary>Closes the connection; <paramref name="reset"/> sends RST (a refused or dropped peer) instead of FIN.</summary>
    internal void Close(bool reset) => _stream.Close(reset);

    public void Dispose() => Close(reset: false);

    internal static string Describe(EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint ip when ip.Address.IsIPv4MappedToIPv6 => new IPEndPoint(ip.Address.MapToIPv4(), ip.Port).ToString(),
        null => "(unknown)",
        _ => endPoint.ToString() ?? "(unknown)",
    };
}
