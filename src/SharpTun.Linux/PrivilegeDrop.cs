using System.Runtime.InteropServices;
using SharpTun.Linux.Interop;
using SharpTun.Netlink;

namespace SharpTun.Linux;

/// <summary>
/// Drops a root process to an unprivileged user: supplementary groups cleared (<c>setgroups(0)</c>),
/// <c>setgid</c>, then <c>setuid</c>. glibc applies <c>setgid</c>/<c>setuid</c> to every thread, so all
/// threads end up as the user with no capabilities. With <c>keepNetAdmin</c>, the calling thread (and
/// threads it starts afterwards) keeps CAP_NET_ADMIN and CAP_NET_BIND_SERVICE in its permitted and
/// effective sets (<c>PR_SET_KEEPCAPS</c> before, <c>capset</c> after); capabilities are per thread,
/// so threads that already run keep none.
/// </summary>
public static class PrivilegeDrop
{
    /// <summary>
    /// Becomes <paramref name="uid"/>/<paramref name="gid"/>. Throws <see cref="InvalidOperationException"/>
    /// naming the step and the cause when one fails (not root, …); the process must then not continue.
    /// </summary>
    public static void ToUser(int uid, int gid, bool keepNetAdmin)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(uid);
        ArgumentOutOfRangeException.ThrowIfNegative(gid);
        if (keepNetAdmin)
        {
            Check(Libc.Prctl(Libc.PrSetKeepCaps, 1, 0, 0, 0), "keep capabilities (prctl PR_SET_KEEPCAPS)");
        }
        Check(Libc.SetGroups(0, 0), "clear the supplementary groups (setgroups)");
        Check(Libc.SetGid((uint)gid), $"change to group {gid} (setgid)");
        Check(Libc.SetUid((uint)uid), $"change to user {uid} (setuid)");
        if (keepNetAdmin)
        {
            Check(KeepOnly((1u << Libc.CapNetAdmin) | (1u << Libc.CapNetBindService)), "keep CAP_NET_ADMIN (capset)");
            Check(Libc.Prctl(Libc.PrSetKeepCaps, 0, 0, 0, 0), "reset PR_SET_KEEPCAPS (prctl)");
        }
    }

    private static unsafe int KeepOnly(uint caps)
    {
        var header = new CapUserHeader { Version = Libc.CapabilityVersion3, Pid = 0 };
        var data = stackalloc CapUserData[2];
        data[0] = new CapUserData { Effective = caps, Permitted = caps, Inheritable = 0 };
        data[1] = default;
        return Libc.CapSet(&header, data);
    }

    private static void Check(int rc, string step)
    {
        if (rc != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new InvalidOperationException($"cannot drop privileges: cannot {step}: {Errno.Describe(errno)}");
        }
    }
}
