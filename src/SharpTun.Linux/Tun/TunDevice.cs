using System.Runtime.InteropServices;
using SharpTun.IO;
using SharpTun.Linux.Interop;
using SharpTun.Linux.IO;
using SharpTun.Netlink;

namespace SharpTun.Linux.Tun;

/// <summary>
/// One open queue of a TUN/TAP device: a file descriptor from <c>/dev/net/tun</c> bound to the
/// device with TUNSETIFF, opened non-blocking and close-on-exec. Packet I/O is the batched
/// <see cref="IPacketQueue"/> API (<see cref="Read(ReadOnlySpan{Memory{byte}}, Span{int}, int)"/>,
/// <see cref="Write(ReadOnlySpan{Memory{byte}}, int)"/>, <see cref="Shutdown"/>): each read(2)
/// returns exactly one packet (or frame), each write(2) takes exactly one. A multi-queue device
/// is one <see cref="TunDevice"/> per queue (open the same name again with
/// <see cref="TunOptions.MultiQueue"/>). One thread may read while another writes.
/// </summary>
public sealed partial class TunDevice : IPacketQueue
{
    private readonly SafeFdHandle _handle;
    private readonly ReadySet _ready;

    /// <summary>The device name (the kernel's choice when a template or no name was given).</summary>
    public string Name { get; }

    /// <summary>tun or tap.</summary>
    public TunMode Mode { get; }

    /// <summary>The flags the kernel reports for this fd (TUNGETIFF).</summary>
    public TunFlags Flags { get; private set; }

    /// <summary>True when every packet carries the 4-byte packet-information header.</summary>
    public bool PacketInfo => (Flags & TunFlags.NoPi) == 0;

    private TunDevice(SafeFdHandle handle, string name, TunMode mode, TunFlags flags, int vnetHeaderSize, int mtu)
    {
        _handle = handle;
        Name = name;
        Mode = mode;
        Flags = flags;
        VnetHeaderSize = vnetHeaderSize;
        UpdateMtu(mtu);
        _ready = ReadySet.Create(handle, $"device '{name}'");
    }

    /// <summary>
    /// Creates the device, or attaches to it if it exists (same as <c>ip tuntap add</c> followed by
    /// opening it). Creating needs CAP_NET_ADMIN; attaching to an existing device also works for
    /// its owner or group. Throws <see cref="ArgumentException"/> for a bad name and
    /// <see cref="TunException"/> with a clear message for kernel errors.
    /// </summary>
    public static TunDevice Open(TunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var name = options.Name;
        if (!string.IsNullOrEmpty(name))
        {
            InterfaceName.Validate(name, options.Mode == TunMode.Tap ? "tap device" : "tun device");
        }
        var what = DeviceLabel(options.Mode, name);
        var handle = OpenClone(options.CloneDevice, what);
        try
        {
            var ifr = IfReq.Create(name, (short)options.ToFlags());
            if (Libc.Ioctl(handle, TunIoctl.TUNSETIFF, ref ifr) < 0)
            {
                throw TunErrors.SetIff(Marshal.GetLastPInvokeError(), options, name);
            }
            var actual = ifr.GetName();
            // TUNGETIFF reports IFF_NOFILTER ("no socket filter attached"), which has the same
            // value as IFF_NO_PI, so that bit says nothing about packet information. A successful
            // TUNSETIFF applied exactly the requested NO_PI setting, so take that bit from the request.
            var flags = (GetIff(handle, actual) & ~TunFlags.NoPi) | (options.ToFlags() & TunFlags.NoPi);
            var vnet = (flags & TunFlags.VnetHdr) != 0 ? SetUpVnetHeader(handle, actual, options.VnetHeaderSize) : 0;
            var device = new TunDevice(handle, actual, options.Mode, flags, vnet, QueryMtu(actual));
            if (options.Offloads != PacketOffloads.None)
            {
                try
                {
                    device.SetOffloads(options.Offloads);
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

    /// <summary>Closes the fd; a non-persistent device disappears with its last fd.</summary>
    public void Dispose()
    {
        Shutdown();
        _ready.Dispose();
        _handle.Dispose();
    }

    internal static string DeviceLabel(TunMode mode, string? name) =>
        string.IsNullOrEmpty(name) || name.Contains('%')
            ? $"{(mode == TunMode.Tap ? "tap" : "tun")} device{(string.IsNullOrEmpty(name) ? "" : $" '{name}'")}"
            : $"{(mode == TunMode.Tap ? "tap" : "tun")} device '{name}'";

    private static SafeFdHandle OpenClone(string path, string what)
    {
        var fd = Libc.Open(path, Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        if (fd < 0)
        {
            throw TunErrors.OpenClone(Marshal.GetLastPInvokeError(), path, what);
        }
        return new SafeFdHandle(fd);
    }

    private static TunFlags GetIff(SafeFdHandle handle, string name)
    {
        var ifr = default(IfReq);
        if (Libc.Ioctl(handle, TunIoctl.TUNGETIFF, ref ifr) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new TunException($"cannot query device '{name}' (TUNGETIFF): {Errno.Describe(errno)}", name, errno);
        }
        return (TunFlags)(ushort)ifr.Flags;
    }
}
