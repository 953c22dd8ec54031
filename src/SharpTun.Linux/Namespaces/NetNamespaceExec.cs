using System.Runtime.InteropServices;
using SharpTun.Linux.Interop;
using SharpTun.Netlink;

namespace SharpTun.Linux.Namespaces;

/// <summary>
/// Running a program, or this program again, inside a named network namespace by becoming it, as
/// <c>ip netns exec</c> and <c>ip -n</c> do. <see cref="Enter"/> changes only the calling thread (setns and
/// unshare are per task); the exec that follows carries that thread's namespaces into the whole new image,
/// so every thread, socket and device of the new process lives in the namespace.
/// </summary>
public static class NetNamespaceExec
{
    /// <summary>Where iproute2 keeps per-namespace configuration files that shadow /etc's (resolv.conf, hosts, …).</summary>
    public const string EtcDirectory = "/etc/netns";

    /// <summary>
    /// Enters namespace <paramref name="name"/> (setns on the calling thread; exec keeps that thread's
    /// namespaces for the whole new image) and execs <paramref name="argv"/> found on PATH: the process
    /// becomes the program, same PID, seeing the namespace's /sys and /etc/netns/NAME files (<see cref="Enter"/>).
    /// Returns only when the exec failed, with the errno (ENOENT, EACCES, …);
    /// a namespace that cannot be entered throws <see cref="NetNamespaceException"/>.
    /// Equivalent to: <c>ip netns exec $name $argv…</c>.
    /// </summary>
    public static int Exec(string name, IReadOnlyList<string> argv)
    {
        ArgumentOutOfRangeException.ThrowIfZero(argv.Count);
        Enter(name);
        return ProcessImage.ExecFromPath(argv);
    }

    /// <summary>
    /// Runs this program again (same executable, same command line, same environment) inside namespace
    /// <paramref name="name"/>, as <see cref="Exec"/> runs another: the way a multi-threaded process
    /// moves itself whole. Returns only when the exec failed, with the errno.
    /// </summary>
    public static int ReExecSelf(string name)
    {
        Enter(name);
        return ProcessImage.ReExecSelf(ProcessImage.CurrentEnvironment());
    }

    /// <summary>
    /// True when the calling thread already is in namespace <paramref name="name"/> (same nsfs inode), e.g.
    /// after <see cref="ReExecSelf"/>. Throws <see cref="NetNamespaceException"/> when it does not exist.
    /// </summary>
    public static bool IsCurrent(string name)
    {
        var path = NetNamespace.PathOf(name);
        // Both are nsfs inodes: the bind-mounted file and the thread's own namespace.
        var target = Libc.Inode(path) ?? throw new NetNamespaceException(
            $"cannot open namespace '{name}': no such namespace (no {path})", Marshal.GetLastPInvokeError());
        return Libc.Inode("/proc/thread-self/ns/net") == target;
    }

    /// <summary>
    /// iproute2's netns_switch on the calling thread: setns into the network namespace, then a private
    /// mount namespace (unshare CLONE_NEWNS) with / made rslave (nothing propagates back to the host), /sys
    /// unmounted lazily and a fresh sysfs mounted there (sysfs shows the devices of the network namespace
    /// that mounts it, so /sys/class/net lists the namespace's devices), and each /etc/netns/NAME/FILE
    /// bind-mounted over /etc/FILE. Only an exec afterwards carries this to a whole process.
    /// Equivalent to the set-up <c>ip netns exec $name</c> does before it execs.
    /// </summary>
    public static void Enter(string name)
    {
        var what = $"cannot enter namespace '{name}'";
        using (var target = NetNamespace.OpenHandle(name))
        {
            if (Libc.SetNs(target, Libc.CLONE_NEWNET) < 0)
            {
                throw Fail(what, "setns", Marshal.GetLastPInvokeError());
            }
        }
        if (Libc.Unshare(Libc.CLONE_NEWNS) < 0)
        {
            throw Fail(what, "unshare(CLONE_NEWNS)", Marshal.GetLastPInvokeError());
        }
        if (Libc.Mount("", "/", "none", Libc.MS_SLAVE | Libc.MS_REC, 0) < 0)
        {
            throw Fail(what, "mount --make-rslave /", Marshal.GetLastPInvokeError());
        }
        // No sysfs there (EINVAL) is fine; a sysfs that cannot be unmounted is shadowed, read-only if it
        // was (a read-only instance cannot be shadowed by a read-write one).
        var unmounted = Libc.Umount2("/sys", Libc.MNT_DETACH) == 0;
        if (Libc.Mount(name, "/sys", "sysfs", 0, 0) < 0 &&
            (unmounted || Libc.Mount(name, "/sys", "sysfs", Libc.MS_RDONLY, 0) < 0))
        {
            throw Fail(what, "mount sysfs on /sys", Marshal.GetLastPInvokeError());
        }
        BindEtc(name);
    }

    /// <summary>ip's bind_etc: a file or directory that cannot be bound is reported and skipped, as ip does.</summary>
    private static void BindEtc(string name)
    {
        var dir = Path.Combine(EtcDirectory, name);
        if (!Directory.Exists(dir))
        {
            return;
        }
        foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
        {
            var target = Path.Combine("/etc", Path.GetFileName(entry));
            if (Libc.Mount(entry, target, "none", Libc.MS_BIND, 0) < 0)
            {
                Console.Error.WriteLine($"sharptun: cannot bind {entry} over {target}: {ErrnoText.Describe(Marshal.GetLastPInvokeError())}");
            }
        }
    }

    private static NetNamespaceException Fail(string what, string step, int errno) =>
        errno is Errno.EPERM or Errno.EACCES
            ? new NetNamespaceException($"{what}: {step}: permission denied (needs CAP_SYS_ADMIN; run as root)", errno)
            : new NetNamespaceException($"{what}: {step}: {ErrnoText.Describe(errno)}", errno);
}
