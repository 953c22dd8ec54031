using System.Net.Sockets;
using SharpTun.Linux.Net;
using SharpTun.Netlink;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// One TCP connection of the fallback: a <see cref="StreamConnection"/> (WireGuard messages in
/// <see cref="StreamFraming"/> frames, judged by <see cref="WireGuardFrameCheck"/>) and the fallback's
/// bookkeeping (who dialed, whether it was answered, its timestamps and poll slot). Senders (any
/// thread) append whole frames and write what the kernel takes at once; the rest waits for the
/// bind's receive thread to see the socket writable. Reading, connecting and closing happen on the
/// receive thread. Nothing here blocks.
/// <para>Memory: an accepted connection not yet answered holds a small deframer buffer
/// (<see cref="WireGuardFrameCheck.UnansweredCapacity"/>) and no output buffer; answering it grows both.</para>
/// </summary>
internal sealed class TcpLink
{
    /// <summary>Output a link buffers beyond what the kernel's send buffer took: more is dropped (ENOBUFS), like a full UDP queue.</summary>
    internal const int OutputCapacity = 1 << 20;

    internal TcpLink(Socket socket, NetEndpoint remote, bool dialed, bool connecting, long now)
    {
        var input = dialed
            ? new StreamDeframer(new byte[WireGuardFrameCheck.AnsweredCapacity], StreamFraming.MaxMessage, remote.ToString(), WireGuardFrameCheck.Instance)
            : new StreamDeframer(new byte[WireGuardFrameCheck.UnansweredCapacity], WireGuardFrameCheck.MaxUnansweredMessage, remote.ToString(), WireGuardFrameCheck.Instance);
        Connection = new StreamConnection(socket, input, new StreamFramer(OutputCapacity), connecting);
        Remote = remote;
        Dialed = dialed;
        Answered = dialed;
        Opened = now;
        LastReceived = now;
    }

    /// <summary>The socket, its framed input and output.</summary>
    internal StreamConnection Connection { get; }

    internal Socket Socket => Connection.Socket;

    /// <summary>The other end; the key the bind finds the link by.</summary>
    internal NetEndpoint Remote { get; }

    /// <summary>We connected to it (a fallback target), rather than accepted it.</summary>
    internal bool Dialed { get; }

    /// <summary>Connect still in progress (output waits).</summary>
    internal bool Connecting => Connection.Connecting;

    /// <summary>When it was opened or accepted (timestamp).</summary>
    internal long Opened { get; }

    /// <summary>When the last whole frame arrived (timestamp); <see cref="Opened"/> before.</summary>
    internal long LastReceived { get; set; }

    /// <summary>Whole frames received.</summary>
    internal long Frames { get; set; }

    /// <summary>Set once we sent on it or the interface confirmed it; the receive thread then grows the input.</summary>
    internal volatile bool Answered;

    /// <summary>A send stopped short (the receive thread then polls for room).</summary>
    internal bool WantWrite => Connection.WantWrite;

    /// <summary>A send met a broken socket (the receive thread closes it).</summary>
    internal bool Broken => Connection.Broken;

    /// <summary>Closed; the socket is disposed.</summary>
    internal bool Closed => Connection.Closed;

    /// <summary>The poller index of this link's socket in the current poll set.</summary>
    internal int PollIndex { get; set; } = -1;

    /// <summary>On the receive thread's ready list (whole frames buffered).</summary>
    internal bool Queued { get; set; }

    /// <summary>
    /// Appends each datagram framed and writes what the socket takes. Returns 0, ENOBUFS when the
    /// output is full (the rest is dropped), or ENOTCONN/ECONNRESET when the link is closed or broken.
    /// The first append also lets the input accept data frames: we answered, so the peer is known.
    /// </summary>
    internal int Append(ReadOnlySpan<Memory<byte>> datagrams, int offset)
    {
        var errno = Connection.Send(datagrams, offset);
        if (errno != Errno.ENOTCONN)
        {
            Answered = true;
        }
        return errno;
    }

    /// <summary>Receive thread: once answered, the input takes full-size frames (one allocation per link).</summary>
    internal void GrowIfAnswered()
    {
        if (Answered && Connection.Input.MaxMessage < StreamFraming.MaxMessage)
        {
            Connection.Input.Grow(new byte[WireGuardFrameCheck.AnsweredCapacity], StreamFraming.MaxMessage);
        }
    }

    /// <summary>Closes the socket (receive thread). Idempotent.</summary>
    internal void Close() => Connection.Close(reset: false);
}
