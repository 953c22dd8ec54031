using System.Net.Sockets;
using SharpTun.IO;
using SharpTun.Netlink;

namespace SharpTun.Linux.Net;

/// <summary>
/// One non-blocking stream socket carrying <see cref="StreamFraming"/> frames: the relay's TCP peer and
/// each connection of the WireGuard TCP fallback. Output: senders append whole frames to
/// <see cref="StreamFramer"/> and write what the kernel takes at once; the rest waits (bounded by the
/// framer) until the owner sees the socket writable and calls <see cref="Flush"/>. Input: one recv(2)
/// per <see cref="Receive"/> into the <see cref="StreamDeframer"/>, whose messages the owner takes.
/// <para>Threads: <c>Send</c> from any thread (the output is locked); <see cref="Receive"/>,
/// <see cref="Flush"/>, <see cref="Connected"/> and <see cref="Close"/> on the owner's thread (its
/// event loop). Nothing blocks; a frame costs no allocation.</para>
/// </summary>
public sealed class StreamConnection : IDisposable
{
    private readonly Lock _outLock = new();
    private readonly StreamFramer _output;
    private volatile bool _wantWrite;
    private volatile bool _broken;
    private volatile bool _connecting;

    /// <summary>
    /// A connection over <paramref name="socket"/> (made non-blocking here); <paramref name="connecting"/>:
    /// a connect is in progress, output waits for <see cref="Connected"/>.
    /// </summary>
    public StreamConnection(Socket socket, StreamDeframer input, StreamFramer output, bool connecting = false)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        Socket = socket;
        Input = input;
        _output = output;
        _connecting = connecting;
        socket.Blocking = false;
    }

    /// <summary>The socket (to poll; owned by this connection).</summary>
    public Socket Socket { get; }

    /// <summary>What arrived: take messages with <see cref="StreamDeframer.Next"/> after each <see cref="Receive"/>.</summary>
    public StreamDeframer Input { get; }

    /// <summary>The other end's name (the deframer's, used in its problems).</summary>
    public string Peer => Input.Peer;

    /// <summary>A connect is still in progress (output waits).</summary>
    public bool Connecting => _connecting;

    /// <summary>A send stopped short: poll the socket writable and <see cref="Flush"/>.</summary>
    public bool WantWrite => _wantWrite;

    /// <summary>A send met a broken socket: the owner closes the connection.</summary>
    public bool Broken => _broken;

    /// <summary>Closed; the socket is disposed.</summary>
    public bool Closed { get; private set; }

    /// <summary>True while output waits for room in the socket.</summary>
    public bool HasOutput
    {
        get
        {
            lock (_outLock)
            {
                return _output.HasPending;
            }
        }
    }

    /// <summary>
    /// Frames each <c>messages[i].Span[offset..]</c> and sends what the socket takes. Returns 0; ENOBUFS when
    /// the output is full (that message and the rest are dropped); ENOTCONN when the connection is closed
    /// or broken; ECONNRESET when it broke now.
    /// </summary>
    public int Send(ReadOnlySpan<Memory<byte>> messages, int offset)
    {
        lock (_outLock)
        {
            if (Closed || _broken)
            {
                return Errno.ENOTCONN;
            }
            var errno = 0;
            foreach (var m in messages)
            {
                if (!_output.TryAppend(m.Span[offset..]))
                {
                    errno = Errno.ENOBUFS;
                    break;
                }
            }
            return FlushLocked() ? errno : Errno.ECONNRESET;
        }
    }

    /// <summary>As <see cref="Send(ReadOnlySpan{Memory{byte}}, int)"/>, message <c>i</c> being <c>packets[i].Span.Slice(offset, sizes[i])</c>.</summary>
    public int Send(ReadOnlySpan<Memory<byte>> packets, ReadOnlySpan<int> sizes, int offset)
    {
        lock (_outLock)
        {
            if (Closed || _broken)
            {
                return Errno.ENOTCONN;
            }
            var errno = 0;
            for (var i = 0; i < packets.Length; i++)
            {
                if (!_output.TryAppend(packets[i].Span.Slice(offset, sizes[i])))
                {
                    errno = Errno.ENOBUFS;
                    break;
                }
            }
            return FlushLocked() ? errno : Errno.ECONNRESET;
        }
    }

    /// <summary>Writes waiting output until the socket would block. False when the socket broke.</summary>
    public bool Flush()
    {
        lock (_outLock)
        {
            return !Closed && FlushLocked();
        }
    }

    /// <summary>The connect completed: waiting output goes now. False when the socket broke.</summary>
    public bool Connected()
    {
        _connecting = false;
        return Flush();
    }

    /// <summary>
    /// One recv(2) of what the kernel has, up to the deframer's room. Call only after taking every
    /// whole message (<see cref="StreamDeframer.Next"/> said <see cref="StreamFrameStatus.NeedMore"/>).
    /// </summary>
    public StreamReceive Receive(out SocketError error)
    {
        var space = Input.ReceiveSpace();
        if (space.IsEmpty)
        {
            throw new InvalidOperationException($"connection {Peer}: whole frames are buffered; take them before receiving more");
        }
        var n = Socket.Receive(space, SocketFlags.None, out error);
        if (error == SocketError.WouldBlock)
        {
            return StreamReceive.WouldBlock;
        }
        if (error != SocketError.Success)
        {
            return StreamReceive.Failed;
        }
        if (n == 0)
        {
            return StreamReceive.Ended;
        }
        Input.Received(n);
        return StreamReceive.Data;
    }

    /// <summary>
    /// Closes the connection: FIN after what the kernel holds, or with <paramref name="reset"/> an RST (a
    /// refused or timed-out peer). Waiting output is dropped. Idempotent.
    /// </summary>
    public void Close(bool reset)
    {
        lock (_outLock)
        {
            if (Closed)
            {
                return;
            }
            Closed = true;
            _output.Release();
        }
        try
        {
            if (reset)
            {
                Socket.LingerState = new LingerOption(true, 0);
            }
            else if (!_connecting)
            {
                Socket.Shutdown(SocketShutdown.Both);
            }
        }
        catch (SocketException)
        {
            // Already reset or never connected: disposing is all that is left.
        }
        catch (ObjectDisposedException)
        {
        }
        Socket.Dispose();
    }

    /// <inheritdoc/>
    public void Dispose() => Close(reset: false);

    private bool FlushLocked()
    {
        if (_connecting)
        {
            return true;
        }
        while (_output.HasPending)
        {
            var n = Socket.Send(_output.Pending, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                _wantWrite = true;
                return true;
            }
            if (error != SocketError.Success)
            {
                _output.Clear();
                _broken = true;
                _wantWrite = true; // brings the owner's attention to it
                return false;
            }
            _output.Consumed(n);
        }
        _wantWrite = false;
        return true;
    }
}
