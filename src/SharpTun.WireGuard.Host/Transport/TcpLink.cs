using System.Net.Sockets;
using SharpTun.Netlink;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// One TCP connection of the fallback: a non-blocking socket, the frame reader for what arrives and
/// a bounded output buffer for what is sent. Senders (any thread, under the interface lock) append
/// whole frames and write what the kernel takes at once; the rest waits for the bind's receive
/// thread to see the socket writable. Reading, connecting and closing happen on the receive thread.
/// Nothing here blocks.
/// </summary>
internal sealed class TcpLink
{
    /// <summary>Output a link buffers beyond what the kernel's send buffer took: more is dropped (ENOBUFS), like a full UDP queue.</summary>
    internal const int OutputCapacity = 1 << 20;

    private readonly Lock _outLock = new();
    private byte[]? _out;
    private int _outStart;
    private int _outEnd;

    internal TcpLink(Socket socket, NetEndpoint remote, bool dialed, bool connecting, long now)
    {
        Socket = socket;
        Remote = remote;
        Dialed = dialed;
        Connecting = connecting;
        Reader = new TcpFrameReader(answered: dialed);
        Opened = now;
        LastReceived = now;
    }

    internal Socket Socket { get; }

    /// <summary>The other end; the key the bind finds the link by.</summary>
    internal NetEndpoint Remote { get; }

    /// <summary>We connected to it (a fallback target), rather than accepted it.</summary>
    internal bool Dialed { get; }

    /// <summary>Connect still in progress (output waits).</summary>
    internal bool Connecting { get; set; }

    internal TcpFrameReader Reader { get; }

    /// <summary>When it was opened or accepted (timestamp).</summary>
    internal long Opened { get; }

    /// <summary>When the last whole frame arrived (timestamp); <see cref="Opened"/> before.</summary>
    internal long LastReceived { get; set; }

    /// <summary>Whole frames received.</summary>
    internal long Frames { get; set; }

    /// <summary>Set by a sender whose write stopped short (the receive thread then polls for room).</summary>
    internal volatile bool WantWrite;

    /// <summary>Set by a sender that met a broken socket (the receive thread closes it).</summary>
    internal volatile bool Broken;

    /// <summary>Closed; the socket is disposed.</summary>
    internal bool Closed { get; private set; }

    /// <summary>The poller index of this link's socket in the current poll set.</summary>
    internal int PollIndex { get; set; } = -1;

    /// <summary>On the receive thread's ready list (whole frames buffered).</summary>
    internal bool Queued { get; set; }

    /// <summary>
    /// Appends each datagram framed and writes what the socket takes. Returns 0, ENOBUFS when the
    /// output is full (the rest is dropped), or ENOTCONN/ECONNRESET when the link is closed or broken.
    /// The first append also lets the reader accept data frames: we answered, so the peer is known.
    /// </summary>
    internal int Append(ReadOnlySpan<Memory<byte>> datagrams, int offset)
    {
        lock (_outLock)
        {
            if (Closed || Broken)
            {
                return Errno.ENOTCONN;
            }
            _out ??= new byte[OutputCapacity];
            var errno = 0;
            foreach (var d in datagrams)
            {
                var message = d.Span[offset..];
                var need = TcpFraming.HeaderSize + message.Length;
                if (_out.Length - _outEnd < need && _outStart > 0)
                {
                    _out.AsSpan(_outStart, _outEnd - _outStart).CopyTo(_out);
                    _outEnd -= _outStart;
                    _outStart = 0;
                }
                if (_out.Length - _outEnd < need || message.Length > TcpFraming.MaxMessage)
                {
                    errno = Errno.ENOBUFS;
                    break;
                }
                _outEnd += TcpFraming.Write(message, _out.AsSpan(_outEnd));
            }
            Answered = true;
            return FlushLocked() ? errno : Errno.ECONNRESET;
        }
    }

    /// <summary>Set once we sent on it; the receive thread then grows the reader.</summary>
    internal volatile bool Answered;

    /// <summary>True while output waits for room.</summary>
    internal bool HasOutput
    {
        get
        {
            lock (_outLock)
            {
                return _outEnd > _outStart;
            }
        }
    }

    /// <summary>Writes buffered output (receive thread, when writable or connected). False when the socket broke.</summary>
    internal bool Flush()
    {
        lock (_outLock)
        {
            return !Closed && FlushLocked();
        }
    }

    /// <summary>Closes the socket (receive thread). Idempotent.</summary>
    internal void Close()
    {
        lock (_outLock)
        {
            if (Closed)
            {
                return;
            }
            Closed = true;
            _out = null;
        }
        Socket.Dispose();
    }

    private bool FlushLocked()
    {
        if (Connecting || _out is null)
        {
            return true;
        }
        while (_outEnd > _outStart)
        {
            var n = Socket.Send(_out.AsSpan(_outStart, _outEnd - _outStart), SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                WantWrite = true;
                return true;
            }
            if (error != SocketError.Success)
            {
                Broken = true;
                WantWrite = true; // wakes the receive thread's attention to it
                return false;
            }
            _outStart += n;
        }
        _outStart = _outEnd = 0;
        WantWrite = false;
        return true;
    }
}
