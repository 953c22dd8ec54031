namespace SharpTun.Linux.Interop;

/// <summary>errno values SharpTun distinguishes, and their short names for messages.</summary>
internal static class Errno
{
    internal const int EPERM = 1;
    internal const int ENOENT = 2;
    internal const int EIO = 5;
    internal const int ENXIO = 6;
    internal const int EBADF = 9;
    internal const int EAGAIN = 11;
    internal const int EACCES = 13;
    internal const int EBUSY = 16;
    internal const int EEXIST = 17;
    internal const int ENODEV = 19;
    internal const int EINVAL = 22;
    internal const int ENOTTY = 25;
    internal const int ENOBUFS = 105;

    /// <summary>A lower-case description with the symbolic name, e.g. <c>"device or resource busy (EBUSY)"</c>.</summary>
    internal static string Describe(int errno) => errno switch
    {
        EPERM => "operation not permitted (EPERM)",
        ENOENT => "no such file or directory (ENOENT)",
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
        ENOBUFS => "no buffer space available (ENOBUFS)",
        _ => $"{System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno).ToLowerInvariant()} (errno {errno})",
    };
}
