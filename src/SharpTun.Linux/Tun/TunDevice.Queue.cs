using System.Net.Sockets;
using System.Runtime.InteropServices;
using SharpTun.IO;
using SharpTun.Linux.IO;
using SharpTun.Linux.Interop;
using SharpTun.Netlink;

namespace SharpTun.Linux.Tun;

// The batched packet API. The fd is O_NONBLOCK: a read drains with read(2) until EAGAIN and only
// then waits, on the epoll set of the fd and the shutdown eventfd, so under load a packet costs
// one system call and Shutdown wakes a blocked reader at once (no timeouts).
public sealed partial class TunDevice
{
    /// <summary>Packets per <see cref="Read(ReadOnlySpan{Memory{byte}}, Span{int}, int)"/> the callers should plan for.</summary>
    public const int DefaultBatchSize = 64;

    // 14-byte Ethernet header plus one 802.1Q tag: a tap on a bridge may carry tagged frames.
    private const int EthernetHeaderWithVlan = 18;

    // How long a write waits for room when the queue is full (EAGAIN) before dropping the packet.
    private const int WriteWaitMilliseconds = 1000;

    private int _shutdown;
    private int _mtuPacketSize;

    /// <inheritdoc/>
    public bool IsEthernet => Mode == TunMode.Tap;

    /// <summary>
    /// The largest packet a read returns: the device's MTU (read when the device was opened, or the
    /// last <see cref="UpdateMtu"/>) plus 18 bytes of Ethernet header with a VLAN tag on a tap, at
    /// most 65535, plus the 4-byte packet-information header when <see cref="PacketInfo"/> is on;
    /// 65535 with segmentation <see cref="Offloads"/> (a read may be a super-packet).
    /// </summary>
    public int MaxPacketSize { get; private set; }

    /// <inheritdoc/>
    public int VnetHeaderSize { get; }

    /// <inheritdoc/>
    public int BatchSize => DefaultBatchSize;

    /// <summary>The epoll set of this queue's fd and its shutdown eventfd: readable while packets are queued or after <see cref="Shutdown"/>.</summary>
    public SafeHandle PollHandle => _ready.Handle;

    /// <summary>The errno of the last packet <see cref="Write(ReadOnlySpan{Memory{byte}}, int)"/> refused (0 when none yet), for logs.</summary>
    public int LastWriteError { get; private set; }

    /// <summary>Tells this queue the device's MTU changed after it was opened (it does not change the device); updates <see cref="MaxPacketSize"/>.</summary>
    public void UpdateMtu(int mtu)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(mtu, 0);
        _mtuPacketSize = Math.Min(65535, mtu + (IsEthernet ? EthernetHeaderWithVlan : 0)) + (PacketInfo ? 4 : 0);
        MaxPacketSize = (Offloads & (PacketOffloads.TcpSegmentation | PacketOffloads.UdpSegmentation)) != 0 ? 65535 : _mtuPacketSize;
    }

    /// <inheritdoc/>
    public int Read(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, int offset)
    {
        if (buffers.IsEmpty || sizes.IsEmpty)
        {
            return 0; // nothing to fill: do not wait (and spin) for packets that cannot be taken
        }
        while (Volatile.Read(ref _shutdown) == 0)
        {
            var n = TryRead(buffers, sizes, offset);
            if (n > 0)
            {
                return n;
            }
            _ready.Wait(-1, $"device '{Name}'");
        }
        return 0;
    }

    /// <inheritdoc/>
    public unsafe int TryRead(ReadOnlySpan<Memory<byte>> buffers, Span<int> sizes, int offset)
    {
        var max = Math.Min(buffers.Length, sizes.Length);
        var count = 0;
        while (count < max && Volatile.Read(ref _shutdown) == 0)
        {
            var destination = buffers[count].Span[offset..];
            nint n;
            fixed (byte* p = destination)
            {
                n = Libc.Read(_handle, p, destination.Length);
            }
            if (n >= 0)
            {
                sizes[count++] = (int)n;
                continue;
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Errno.EINTR)
            {
                continue;
            }
            if (errno == Errno.EAGAIN || count > 0)
            {
                break; // a lasting error shows again on the next call, after these packets are handled
            }
            throw QueueError(errno, "read from");
        }
        return count;
    }

    /// <inheritdoc/>
    public unsafe int Write(ReadOnlySpan<Memory<byte>> packets, int offset)
    {
        var accepted = 0;
        foreach (var memory in packets)
        {
            var packet = memory.Span[offset..];
            while (true)
            {
                nint n;
                fixed (byte* p = packet)
                {
                    n = Libc.Write(_handle, p, packet.Length);
                }
                if (n >= 0)
                {
                    accepted++;
                    break;
                }
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Errno.EINTR || (errno == Errno.EAGAIN && WaitWritable()))
                {
                    continue;
                }
                if (errno is Errno.EBADFD or Errno.EBADF)
                {
                    throw QueueError(errno, "write to");
                }
                LastWriteError = errno; // EINVAL: not a packet the device takes; EIO: device down
                break;
            }
        }
        return accepted;
    }

    /// <inheritdoc/>
    public void Shutdown()
    {
        Volatile.Write(ref _shutdown, 1);
        _ready.Wake.Signal();
    }

    private bool WaitWritable() =>
        Volatile.Read(ref _shutdown) == 0 && FdWait.Writable(_handle, _ready.Wake, WriteWaitMilliseconds);

    private PacketIOException QueueError(int errno, string verb) => errno switch
    {
        Errno.EBADFD => new PacketIOException($"cannot {verb} device '{Name}': the device was deleted (EBADFD)", Name, errno),
        Errno.EBADF => new PacketIOException($"cannot {verb} device '{Name}': its queue was closed (EBADF)", Name, errno),
        _ => new PacketIOException($"cannot {verb} device '{Name}': {Errno.Describe(errno)}", Name, errno),
    };

    private static int SetUpVnetHeader(SafeFdHandle handle, string name, int size)
    {
        if (size != 0 && Libc.Ioctl(handle, TunIoctl.TUNSETVNETHDRSZ, ref size) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new TunException($"cannot set the vnet header size of device '{name}' to {size}: {Errno.Describe(errno)} (it must be at least 10)", name, errno);
        }
        var actual = 0;
        if (Libc.Ioctl(handle, TunIoctl.TUNGETVNETHDRSZ, ref actual) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new TunException($"cannot read the vnet header size of device '{name}': {Errno.Describe(errno)}", name, errno);
        }
        return actual;
    }

    // SIOCGIFMTU by name in the calling thread's namespace: Open runs where TUNSETIFF made or found
    // the device, so the name resolves to it. Unknown (no socket) means the largest packet.
    private static int QueryMtu(string name)
    {
        var fd = Libc.Socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            return 65535;
        }
        using var socket = new SafeSocketHandle(fd, ownsHandle: true);
        var ifr = IfReq.Create(name, 0);
        // ifr_mtu is an int at the union's offset; tun MTUs are at most 65535, so the low 16 bits
        // (little-endian: the Flags field) hold all of it.
        return Libc.Ioctl(socket, Libc.SIOCGIFMTU, ref ifr) < 0 ? 65535 : (ushort)ifr.Flags;
    }
}
