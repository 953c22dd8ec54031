using SharpTun.Linux.Interop;
using SharpTun.Netlink;

namespace SharpTun.Linux.Tun;

/// <summary>Turns errno values from the tun driver into messages that name the device and the cause.</summary>
internal static class TunErrors
{
    internal static TunException OpenClone(int errno, string path, string what) => errno switch
    {
        Errno.ENOENT or Errno.ENODEV or Errno.ENXIO => new TunException(
            $"cannot open {what}: there is no {path} (the tun driver is not loaded: run 'modprobe tun', or create the node with 'mknod {path} c 10 200')",
            null, errno),
        Errno.EACCES or Errno.EPERM => new TunException(
            $"cannot open {what}: permission denied on {path} (needs read/write access to the clone device; run as root, or make it mode 0666)",
            null, errno),
        _ => new TunException($"cannot open {what}: {path}: {Errno.Describe(errno)}", null, errno),
    };

    internal static TunException SetIff(int errno, TunOptions options, string? name)
    {
        var link = string.IsNullOrEmpty(name) || name.Contains('%') ? null : TryFind(name);
        var exists = link is not null;
        var label = TunDevice.DeviceLabel(options.Mode, name);
        var verb = exists ? "attach to" : "create";
        var existing = link?.Tun is { } data ? TunDevices.ToFlags(data) : (TunFlags?)null;
        switch (errno)
        {
            case Errno.EPERM or Errno.EACCES when exists:
                var owner = link!.Tun?.Owner is { } o && o != uint.MaxValue ? o : (uint?)null;
                var group = link.Tun?.Group is { } g && g != uint.MaxValue ? g : (uint?)null;
                var who = (owner, group) switch
                {
                    (null, null) => "it has no owner or group, so only CAP_NET_ADMIN may attach",
                    _ => $"it belongs to {(owner is null ? "no user" : $"uid {owner}")} and {(group is null ? "no group" : $"gid {group}")}",
                };
                return new TunException(
                    $"cannot attach to {label}: permission denied ({who}; attach as its owner or group member, or as root with CAP_NET_ADMIN)", name, errno);
            case Errno.EPERM or Errno.EACCES:
                return new TunException($"cannot create {label}: permission denied (needs CAP_NET_ADMIN; run as root)", name, errno);
            case Errno.EBUSY:
                return new TunException(
                    $"cannot attach to {label}: device busy (another process already holds its queue; a single-queue device takes one fd, a multi-queue device is limited to 256 queues)",
                    name, errno);
            case Errno.EEXIST:
                return new TunException($"cannot create {label}: it already exists (exclusive create was requested)", name, errno);
            case Errno.EINVAL when exists && existing is null:
                return new TunException($"cannot attach to '{name}': it exists and is not a tun/tap device", name, errno);
            case Errno.EINVAL when existing is not null:
                var existingMode = (existing.Value & TunFlags.Tap) != 0 ? TunMode.Tap : TunMode.Tun;
                if (existingMode != options.Mode)
                {
                    return new TunException(
                        $"cannot attach to '{name}' in {Lower(options.Mode)} mode: mode mismatch, the device is a {Lower(existingMode)} device", name, errno);
                }
                var mq = (existing.Value & TunFlags.MultiQueue) != 0;
                if (mq != options.MultiQueue)
                {
                    return new TunException(
                        $"cannot attach to {label}: it was created {(mq ? "with" : "without")} multi_queue; attach {(mq ? "with" : "without")} it", name, errno);
                }
                return new TunException($"cannot attach to {label}: the kernel rejected the flags {string.Join(' ', TunFlagNames.Describe(options.ToFlags()))}: {Errno.Describe(errno)}", name, errno);
            default:
                return new TunException($"cannot {verb} {label}: {Errno.Describe(errno)}", name, errno);
        }
    }

    // Only used to explain a failure; a netlink problem must not hide the original error.
    private static LinkInfo? TryFind(string name)
    {
        try
        {
            return TunDevices.Find(name);
        }
        catch (Exception e) when (e is NetlinkException or IOException)
        {
            return null;
        }
    }

    private static string Lower(TunMode mode) => mode == TunMode.Tap ? "tap" : "tun";
}
