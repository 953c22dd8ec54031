using System.Runtime.InteropServices;
using SharpTun.IO;
using SharpTun.Linux.Interop;
using SharpTun.Netlink;

namespace SharpTun.Linux.Tun;

// A queue from a descriptor someone else opened and bound (WG_TUN_FD: wireguard-go's parent, or ours).
public sealed partial class TunDevice
{
    /// <summary>The queue's descriptor (to pass to a child process with <see cref="InheritedDescriptor.Inherit"/>).</summary>
    public SafeHandle Handle => _handle;

    /// <summary>
    /// Takes ownership of <paramref name="fd"/>, an open <c>/dev/net/tun</c> descriptor already bound to a
    /// device (TUNSETIFF), as wireguard-go takes WG_TUN_FD: its name and flags come from TUNGETIFF, the
    /// virtio-net header size from TUNGETVNETHDRSZ; it is made non-blocking and close-on-exec. Packet
    /// information cannot be read back from the kernel (TUNGETIFF reports IFF_NOFILTER in its bit), so the
    /// descriptor must have been opened with IFF_NO_PI, as wireguard-go opens it. <paramref name="offloads"/>
    /// are asked for again when the device has a virtio-net header (TUNSETOFFLOAD is idempotent).
    /// </summary>
    public static TunDevice Adopt(int fd, PacketOffloads offloads = PacketOffloads.None)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fd);
        var handle = new SafeFdHandle(fd);
        try
        {
            var ifr = default(IfReq);
            if (Libc.Ioctl(handle, TunIoctl.TUNGETIFF, ref ifr) < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new TunException($"cannot use descriptor {fd} as a tun device: it is not an attached /dev/net/tun descriptor (TUNGETIFF: {Errno.Describe(errno)})", null, errno);
            }
            var name = ifr.GetName();
            var flags = ((TunFlags)(ushort)ifr.Flags & ~TunFlags.NoPi) | TunFlags.NoPi;
            var fl = Libc.Fcntl(handle, Libc.F_GETFL, 0);
            if (fl < 0 || Libc.Fcntl(handle, Libc.F_SETFL, fl | Libc.O_NONBLOCK) < 0 || Libc.Fcntl(handle, Libc.F_SETFD, Libc.FD_CLOEXEC) < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new TunException($"cannot make descriptor {fd} of device '{name}' non-blocking: {Errno.Describe(errno)}", name, errno);
            }
            var mode = (flags & TunFlags.Tap) != 0 ? TunMode.Tap : TunMode.Tun;
            var vnet = (flags & TunFlags.VnetHdr) != 0 ? SetUpVnetHeader(handle, name, 0) : 0;
            var device = new TunDevice(handle, name, mode, flags, vnet, QueryMtu(name));
            if (offloads != PacketOffloads.None && vnet > 0 && mode == TunMode.Tun)
            {
                try
                {
                    device.SetOffloads(offloads);
                }
                catch
                {
                    device.Dispose();
                    throw;
                }
            }
            return device;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }
}
