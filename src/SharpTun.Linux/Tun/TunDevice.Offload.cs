using System.Runtime.InteropServices;
using SharpTun.IO;
using SharpTun.Linux.Interop;
using SharpTun.Netlink;

namespace SharpTun.Linux.Tun;

// TUNSETOFFLOAD: what the kernel may hand this queue (checksum left partial, TSO/USO super-packets).
public sealed partial class TunDevice
{
    /// <inheritdoc/>
    public PacketOffloads Offloads { get; private set; }

    /// <summary>
    /// Asks the kernel for <paramref name="wanted"/> offloads on this device (TUNSETOFFLOAD) and returns
    /// what it took: UDP segmentation is dropped on kernels before 6.2 (EINVAL), and segmentation needs
    /// the checksum offload, which is added. Needs IFF_VNET_HDR on a tun (not tap) device.
    /// <see cref="PacketOffloads.None"/> turns every offload off.
    /// </summary>
    public PacketOffloads SetOffloads(PacketOffloads wanted)
    {
        if (wanted != PacketOffloads.None && (VnetHeaderSize == 0 || IsEthernet))
        {
            throw new TunException($"cannot turn on offloads for device '{Name}': they need a tun device opened with a virtio-net header (vnet_hdr)", Name, Errno.EINVAL);
        }
        if ((wanted & (PacketOffloads.TcpSegmentation | PacketOffloads.UdpSegmentation)) != 0)
        {
            wanted |= PacketOffloads.Checksum;
        }
        var errno = TrySetOffloads(wanted);
        if (errno == Errno.EINVAL && (wanted & PacketOffloads.UdpSegmentation) != 0)
        {
            wanted &= ~PacketOffloads.UdpSegmentation;
            errno = TrySetOffloads(wanted);
        }
        if (errno != 0)
        {
            throw new TunException($"cannot set offloads ({wanted}) on device '{Name}' (TUNSETOFFLOAD): {Errno.Describe(errno)}", Name, errno);
        }
        Offloads = wanted;
        MaxPacketSize = (wanted & (PacketOffloads.TcpSegmentation | PacketOffloads.UdpSegmentation)) != 0 ? 65535 : _mtuPacketSize;
        return wanted;
    }

    private int TrySetOffloads(PacketOffloads offloads)
    {
        nint bits = (nint)ToTunBits(offloads);
        return Libc.Ioctl(_handle, TunIoctl.TUNSETOFFLOAD, bits) < 0 ? Marshal.GetLastPInvokeError() : 0;
    }

    internal static uint ToTunBits(PacketOffloads offloads)
    {
        var bits = 0u;
        if ((offloads & PacketOffloads.Checksum) != 0)
        {
            bits |= TunIoctl.TUN_F_CSUM;
        }
        if ((offloads & PacketOffloads.TcpSegmentation) != 0)
        {
            bits |= TunIoctl.TUN_F_TSO4 | TunIoctl.TUN_F_TSO6;
        }
        if ((offloads & PacketOffloads.UdpSegmentation) != 0)
        {
            bits |= TunIoctl.TUN_F_USO4 | TunIoctl.TUN_F_USO6;
        }
        return bits;
    }
}
