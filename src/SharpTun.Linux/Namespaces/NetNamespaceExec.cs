using System.Runtime.InteropServices;
using SharpTun.Linux.Interop;
using SharpTun.Netlink;

namespace SharpTun.Linux.Namespaces;

/// <summary>Running a program inside a named network namespace by becoming it, as <c>ip netns exec</c> does.</summary>
public static class NetNamespaceExec
{
    /// <summary>
    /// Enters namespace <paramref name="name"/> (setns on the calling thread; exec keeps that thread's
    /// namespaces for the whole new image) and execs <paramref name="argv"/> found on PATH: the process
    /// becomes the program, same PID. Returns only when the exec failed, with the errno (ENOENT, EACCES, …);
    /// a namespace that cannot be entered throws <see cref="NetNamespaceException"/>.
    /// Equivalent to: <c>ip netns exec $name $argv…</c> (without ip's /sys remount and /etc/netns binds).
    /// </summary>
    public static int Exec(string name, IReadOnlyList<string> argv)
    {
        ArgumentOutOfRangeException.ThrowIfZero(argv.Count);
        using (var target = NetNamespace.OpenHandle(name))
        {
            if (Libc.SetNs(target, Libc.CLONE_NEWNET) < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new NetNamespaceException(
                    errno is Errno.EPERM or Errno.EACCES
                        ? $"cannot enter namespace '{name}': permission denied (needs CAP_SYS_ADMIN; run as root)"
                        : $"cannot enter namespace '{name}': {ErrnoText.Describe(errno)}", errno);
            }
        }
        return ProcessImage.ExecFromPath(argv);
    }
}
