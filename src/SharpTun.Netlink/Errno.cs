namespace SharpTun.Netlink;

/// <summary>
/// The Linux errno values SharpTun names (asm-generic/errno-base.h, errno.h), each defined once
/// here for every project: the symbolic name and the reason in words, for messages that name the
/// cause ("no such device (ENODEV)") instead of a number. Pure: no system calls.
/// </summary>
public static class Errno
{
#pragma warning disable CS1591 // the constants are their own documentation
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int ENXIO = 6;
    public const int EBADF = 9;
    public const int EAGAIN = 11;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EFAULT = 14;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int ENODEV = 19;
    public const int EINVAL = 22;
    public const int ENOTTY = 25;
    public const int ENOSPC = 28;
    public const int EPIPE = 32;
    public const int ERANGE = 34;
    public const int ENODATA = 61;
    public const int EBADFD = 77;
    public const int ENOTSOCK = 88;
    public const int EDESTADDRREQ = 89;
    public const int EMSGSIZE = 90;
    public const int EPROTONOSUPPORT = 93;
    public const int EOPNOTSUPP = 95;
    public const int EAFNOSUPPORT = 97;
    public const int EADDRINUSE = 98;
    public const int EADDRNOTAVAIL = 99;
    public const int ENETDOWN = 100;
    public const int ENETUNREACH = 101;
    public const int ECONNABORTED = 103;
    public const int ECONNRESET = 104;
    public const int ENOBUFS = 105;
    public const int EISCONN = 106;
    public const int ENOTCONN = 107;
    public const int ETIMEDOUT = 110;
    public const int ECONNREFUSED = 111;
    public const int EHOSTUNREACH = 113;
#pragma warning restore CS1591

    private static readonly Dictionary<int, (string Name, string Reason)> s_table = new()
    {
        [EPERM] = ("EPERM", "operation not permitted"),
        [ENOENT] = ("ENOENT", "no such file or directory"),
        [ESRCH] = ("ESRCH", "no such process"),
        [EINTR] = ("EINTR", "interrupted system call"),
        [EIO] = ("EIO", "input/output error"),
        [ENXIO] = ("ENXIO", "no such device or address"),
        [EBADF] = ("EBADF", "bad file descriptor"),
        [EAGAIN] = ("EAGAIN", "resource temporarily unavailable"),
        [ENOMEM] = ("ENOMEM", "cannot allocate memory"),
        [EACCES] = ("EACCES", "permission denied"),
        [EFAULT] = ("EFAULT", "bad address"),
        [EBUSY] = ("EBUSY", "device or resource busy"),
        [EEXIST] = ("EEXIST", "file exists"),
        [ENODEV] = ("ENODEV", "no such device"),
        [EINVAL] = ("EINVAL", "invalid argument"),
        [ENOTTY] = ("ENOTTY", "inappropriate ioctl for device"),
        [ENOSPC] = ("ENOSPC", "no space left on device"),
        [EPIPE] = ("EPIPE", "broken pipe"),
        [ERANGE] = ("ERANGE", "numerical result out of range"),
        [ENODATA] = ("ENODATA", "no data available"),
        [EBADFD] = ("EBADFD", "file descriptor in bad state"),
        [ENOTSOCK] = ("ENOTSOCK", "socket operation on non-socket"),
        [EDESTADDRREQ] = ("EDESTADDRREQ", "destination address required"),
        [EMSGSIZE] = ("EMSGSIZE", "message too long"),
        [EPROTONOSUPPORT] = ("EPROTONOSUPPORT", "protocol not supported"),
        [EOPNOTSUPP] = ("EOPNOTSUPP", "operation not supported"),
        [EAFNOSUPPORT] = ("EAFNOSUPPORT", "address family not supported by protocol"),
        [EADDRINUSE] = ("EADDRINUSE", "address already in use"),
        [EADDRNOTAVAIL] = ("EADDRNOTAVAIL", "cannot assign requested address"),
        [ENETDOWN] = ("ENETDOWN", "network is down"),
        [ENETUNREACH] = ("ENETUNREACH", "network is unreachable"),
        [ECONNABORTED] = ("ECONNABORTED", "software caused connection abort"),
        [ECONNRESET] = ("ECONNRESET", "connection reset by peer"),
        [ENOBUFS] = ("ENOBUFS", "no buffer space available"),
        [EISCONN] = ("EISCONN", "transport endpoint is already connected"),
        [ENOTCONN] = ("ENOTCONN", "transport endpoint is not connected"),
        [ETIMEDOUT] = ("ETIMEDOUT", "connection timed out"),
        [ECONNREFUSED] = ("ECONNREFUSED", "connection refused"),
        [EHOSTUNREACH] = ("EHOSTUNREACH", "no route to host"),
    };

    /// <summary>The symbolic name (<c>"ENODEV"</c>), or null for a value not in the table.</summary>
    public static string? Name(int errno) => s_table.TryGetValue(errno, out var e) ? e.Name : null;

    /// <summary>The reason in words (<c>"no such device"</c>); <c>"errno N"</c> for a value not in the table.</summary>
    public static string Reason(int errno) => s_table.TryGetValue(errno, out var e) ? e.Reason : $"errno {errno}";

    /// <summary>The reason with the symbolic name, for messages: <c>"no such device (ENODEV)"</c>; <c>"errno N"</c> when unknown.</summary>
    public static string Describe(int errno) => s_table.TryGetValue(errno, out var e) ? $"{e.Reason} ({e.Name})" : $"errno {errno}";
}
