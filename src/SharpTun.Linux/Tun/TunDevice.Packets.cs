using System.Runtime.InteropServices;
using SharpTun.Linux.Interop;

namespace SharpTun.Linux.Tun;

// Packet paths for relays: direct read(2)/write(2) on the fd in O_NONBLOCK mode, waiting with
// poll(2) only when the queue is empty. Under load a packet costs exactly one syscall, and a
// relay can drain several queued packets (TryReadPacket) before one send to the network.
// Use either these methods or Read/Write/ReadAsync/WriteAsync on one TunDevice, not both.
public sealed partial class TunDevice
{
    private int _nonBlocking;

    /// <summary>
    /// Reads one packet, waiting at most <paramref name="timeoutMilliseconds"/> (-1 = forever).
    /// Returns its length, or 0 when the time passed without a packet. The buffer should hold
    /// 65535 bytes (+4 with the packet-information header): the kernel truncates what does not fit.
    /// </summary>
    public int ReadPacket(Span<byte> buffer, int timeoutMilliseconds)
    {
        while (true)
        {
            var n = TryReadPacket(buffer);
            if (n > 0)
            {
                return n;
            }
            if (!WaitFor(LibcIo.POLLIN, timeoutMilliseconds))
            {
                return 0;
            }
        }
    }

    /// <summary>Waits until a packet is queued or <paramref name="timeoutMilliseconds"/> pass; true when one is.</summary>
    public bool WaitReadable(int timeoutMilliseconds)
    {
        EnsureNonBlocking();
        return WaitFor(LibcIo.POLLIN, timeoutMilliseconds);
    }

    /// <summary>Reads one packet if one is queued; returns 0 at once when none is.</summary>
    public unsafe int TryReadPacket(Span<byte> buffer)
    {
        EnsureNonBlocking();
        while (true)
        {
            nint n;
            fixed (byte* p = buffer)
            {
                n = LibcIo.Read(_handle, p, buffer.Length);
            }
            if (n >= 0)
            {
                return (int)n;
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Errno.EAGAIN)
            {
                return 0;
            }
            if (errno != LibcIo.EINTR)
            {
                throw IoError(errno, "read from");
            }
        }
    }

    /// <summary>
    /// Writes one whole packet. Returns 0 on success or the errno the kernel gave for this packet
    /// (EINVAL: not an IP packet/frame the device accepts; EIO: the device is down), so a relay can
    /// count and drop it. A device that is gone (EBADFD) throws <see cref="TunException"/>.
    /// </summary>
    public unsafe int WritePacket(ReadOnlySpan<byte> packet)
    {
        EnsureNonBlocking();
        while (true)
        {
            nint n;
            fixed (byte* p = packet)
            {
                n = LibcIo.Write(_handle, p, packet.Length);
            }
            if (n >= 0)
            {
                return 0;
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Errno.EAGAIN)
            {
                WaitFor(LibcIo.POLLOUT, 1000);
                continue;
            }
            if (errno == LibcIo.EINTR)
            {
                continue;
            }
            if (errno is LibcIo.EBADFD or Errno.EBADF)
            {
                throw IoError(errno, "write to");
            }
            return errno;
        }
    }

    private unsafe bool WaitFor(short events, int timeoutMilliseconds)
    {
        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            var pfd = new LibcIo.PollFd { Fd = (int)_handle.DangerousGetHandle(), Events = events };
            var r = LibcIo.Poll(&pfd, 1, timeoutMilliseconds);
            if (r < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == LibcIo.EINTR)
                {
                    return true;
                }
                throw IoError(errno, "wait for");
            }
            return r > 0;
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    private void EnsureNonBlocking()
    {
        if (Volatile.Read(ref _nonBlocking) != 0)
        {
            return;
        }
        var flags = LibcIo.Fcntl(_handle, LibcIo.F_GETFL, 0);
        if (flags < 0 || LibcIo.Fcntl(_handle, LibcIo.F_SETFL, flags | Libc.O_NONBLOCK) < 0)
        {
            throw IoError(Marshal.GetLastPInvokeError(), "set non-blocking mode on");
        }
        Volatile.Write(ref _nonBlocking, 1);
    }

    private TunException IoError(int errno, string verb) => errno == LibcIo.EBADFD
        ? new TunException($"cannot {verb} device '{Name}': the device was deleted (EBADFD)", Name, errno)
        : new TunException($"cannot {verb} device '{Name}': {Errno.Describe(errno)}", Name, errno);
}
