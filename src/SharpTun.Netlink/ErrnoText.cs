namespace SharpTun.Netlink;

/// <summary>Netlink's wording of an errno in its messages: the <see cref="Errno"/> reason, with the root hint for EPERM.</summary>
public static class ErrnoText
{
    /// <summary>The reason for <paramref name="errno"/> (positive), e.g. 19 → "no such device".</summary>
    public static string Describe(int errno) =>
        errno == Errno.EPERM ? "operation not permitted (needs CAP_NET_ADMIN; run as root)" : Errno.Reason(errno);
}
