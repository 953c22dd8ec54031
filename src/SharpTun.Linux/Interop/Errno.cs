namespace SharpTun.Linux.Interop;

/// <summary>errno values SharpTun distinguishes, and their short names for messages.</summary>
internal static class Errno
{
    internal const int EPERM = 1;
    internal const int ENOENT = 2;
    internal const int EINTR = 4;
    internal const int EIO = 5;
    internal const int ENXIO = 6;
    internal const int EBADF = 9;
    internal const int EAGAIN = 11;
    internal const int EFAULT = 14;
    internal const int EACCES = 13;
    internal const int EBUSY = 16;
    internal const int EEXIST = 17;
    internal const int ENODEV = 19;
    internal const int EINVAL = 22;
    internal const int ENOTTY = 25;
    internal const int EBADFD = 77;
    internal const int ENOTSOCK = 88;
    internal const int EDESTADDRREQ = 89;
    internal const int EMSGSIZE = 90;
    internal const int EAFNOSUPPORT = 97;
    internal const int EADDRINUSE = 98;
    internal const int EADDRNOTAVAIL = 99;
    internal const int ENETDOWN = 100;
    internal const int ENETUNREACH = 101;
    internal const int ECONNRESET = 104;
    internal const int ENOBUFS = 105;
    internal const int ECONNREFUSED = 111;
    internal const int EHOSTUNREACH = 113;

    /// <summary>A lower-case description with the symbolic name, e.g. <c>"device or resource busy (EBUSY)"</c>.</summary>
    internal static string Describe(int errno) => errno switch
    {
        EPERM => "operation not permitted (EPERM)",
        ENOENT => "no such file or directory (ENOENT)",
        EINTR => "interrupted system call (EINTR)",
        EIO => "input/output error (EIO)",
        ENXIO => "no such device or address (ENXIO)",
        EBADF => "bad file descriptor (EBADF)",
        EAGAIN => "resource temporarily unavailable (EAGAIN)",
        EACCES => "permission denied (EACCES)",
        EBUSY => "device or resource busy (EBUSY)",
        EEXIST => "file exists (EEXIST)",
        ENODEV => "no such device (ENODEV)",
        EINVAL => "invalid argument (EINVAL)",
        ENOTTY => "inappropriate ioctl for device (ENOTTY)",
        EFAULT => "bad address (EFAULT)",
        ENOTSOCK => "socket operation on non-socket (ENOTSOCK)",
        EDESTADDRREQ => "destination address required (EDESTADDRREQ)",
        EMSGSIZE => "message too long (EMSGSIZE)",
        EAFNOSUPPORT => "address family not supported (EAFNOSUPPORT)",
        EADDRINUSE => "address already in use (EADDRINUSE)",
        EADDRNOTAVAIL => "cannot assign requested address (EADDRNOTAVAIL)",
        ENETDOWN => "network is down (ENETDOWN)",
        ENETUNREACH => "network is unreachable (ENETUNREACH)",
        ECONNRESET => "connection reset by peer (ECONNRESET)",
        ENOBUFS => "no buffer space available (ENOBUFS)",
        ECONNREFUSED => "connection refused (ECONNREFUSED)",
        EHOSTUNREACH => "no route to host (EHOSTUNREACH)",
        EBADFD => "file descriptor in bad state (EBADFD)",
        _ => $"{System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno).ToLowerInvariant()} (errno {errno})",
    };
}
