using System.Runtime.InteropServices;
using SharpTun.Linux.Interop;
using SharpTun.Netlink;

namespace SharpTun.Linux.Tun;

public sealed partial class TunDevice
{
    /// <summary>TUNSETPERSIST: keep the device after the last fd closes (true) or let it go with it (false).</summary>
    public void SetPersistent(bool persistent)
    {
        Control(TunIoctl.TUNSETPERSIST, persistent ? 1 : 0, persistent ? "make persistent" : "make non-persistent");
        Flags = persistent ? Flags | TunFlags.Persist : Flags & ~TunFlags.Persist;
    }

    /// <summary>TUNSETOWNER: let this uid attach without CAP_NET_ADMIN; -1 clears it.</summary>
    public void SetOwner(int uid) => Control(TunIoctl.TUNSETOWNER, uid, $"set owner {uid} on");

    /// <summary>TUNSETGROUP: let members of this gid attach without CAP_NET_ADMIN; -1 clears it.</summary>
    public void SetGroup(int gid) => Control(TunIoctl.TUNSETGROUP, gid, $"set group {gid} on");

    /// <summary>
    /// TUNSETQUEUE: enable (IFF_ATTACH_QUEUE) or disable (IFF_DETACH_QUEUE) this fd's queue of a
    /// multi-queue device; a disabled queue gets no packets but keeps its fd.
    /// </summary>
    public void SetQueueEnabled(bool enabled)
    {
        var ifr = IfReq.Create(null, (short)(enabled ? TunFlags.AttachQueue : TunFlags.DetachQueue));
        if (Libc.Ioctl(_handle, TunIoctl.TUNSETQUEUE, ref ifr) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            var hint = errno == Errno.EINVAL ? " (only a multi-queue device has queues to enable or disable)" : "";
            throw new TunException(
                $"cannot {(enabled ? "enable" : "disable")} the queue of device '{Name}': {Errno.Describe(errno)}{hint}", Name, errno);
        }
    }

    /// <summary>The virtio-net header size in bytes when <see cref="TunFlags.VnetHdr"/> is on (TUNGETVNETHDRSZ).</summary>
    public int GetVnetHeaderSize()
    {
        var size = 0;
        if (Libc.Ioctl(_handle, TunIoctl.TUNGETVNETHDRSZ, ref size) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new TunException($"cannot read the vnet header size of device '{Name}': {Errno.Describe(errno)}", Name, errno);
        }
        return size;
    }

    /// <summary>The TUNSETIFF flags this kernel supports (TUNGETFEATURES), read through a fresh clone fd.</summary>
    public static TunFeatures GetFeatures(string cloneDevice = "/dev/net/tun")
    {
        using var handle = OpenClone(cloneDevice, "the tun driver");
        var features = 0;
        if (Libc.Ioctl(handle, TunIoctl.TUNGETFEATURES, ref features) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new TunException($"cannot read the tun driver's features (TUNGETFEATURES): {Errno.Describe(errno)}", null, errno);
        }
        return new TunFeatures((TunFlags)(ushort)features);
    }

    /// <summary>
    /// Deletes a persistent device: attach to it, clear IFF_PERSIST, close (what <c>ip tuntap del</c>
    /// and <c>tunctl -d</c> do). Fails with a clear message if it does not exist, is in use
    /// (single-queue and attached elsewhere), or has the other mode.
    /// </summary>
    public static void Delete(string name, TunMode mode, string cloneDevice = "/dev/net/tun")
    {
        InterfaceName.Validate(name, mode == TunMode.Tap ? "tap device" : "tun device");
        if (name.Contains('%'))
        {
            throw new ArgumentException($"cannot delete '{name}': give the device's own name, not a template", nameof(name));
        }
        var link = TunDevices.Find(name) ??
            throw new TunException($"cannot delete {DeviceLabel(mode, name)}: no such device", name, Errno.ENODEV);
        if (link.Tun is null)
        {
            throw new TunException($"cannot delete '{name}': it is not a tun/tap device", name, Errno.EINVAL);
        }
        TunFlags? existing = TunDevices.ToFlags(link.Tun);
        var options = new TunOptions
        {
            Name = name,
            Mode = mode,
            MultiQueue = (existing.Value & TunFlags.MultiQueue) != 0,
            PacketInfo = (existing.Value & TunFlags.NoPi) == 0,
            VnetHdr = (existing.Value & TunFlags.VnetHdr) != 0,
            CloneDevice = cloneDevice,
        };
        using var dev = Open(options);
        dev.SetPersistent(false);
    }

    private void Control(uint request, nint value, string action)
    {
        if (Libc.Ioctl(_handle, request, value) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            var hint = errno is Errno.EPERM or Errno.EACCES ? " (needs CAP_NET_ADMIN; run as root)" : "";
            throw new TunException($"cannot {action} device '{Name}': {Errno.Describe(errno)}{hint}", Name, errno);
        }
    }
}
