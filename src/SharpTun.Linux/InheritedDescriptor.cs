using System.Runtime.InteropServices;
using SharpTun.Linux.Interop;
using SharpTun.Netlink;

namespace SharpTun.Linux;

/// <summary>
/// Descriptors handed to a child process across exec, the way wireguard-go hands its tun and UAPI
/// listener to its detached copy (WG_TUN_FD, WG_UAPI_FD): every descriptor SharpTun opens is
/// close-on-exec; <see cref="Inherit"/> clears that flag on one of them and returns its number, to
/// pass to the child (in its environment). The child takes it back with <see cref="Parse"/>.
/// </summary>
public static class InheritedDescriptor
{
    /// <summary>Clears FD_CLOEXEC on <paramref name="handle"/> so that a program this process starts keeps it open; returns its number.</summary>
    public static int Inherit(SafeHandle handle, string what)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var flags = Libc.Fcntl(handle, Libc.F_GETFD, 0);
        if (flags < 0 || Libc.Fcntl(handle, Libc.F_SETFD, flags & ~Libc.FD_CLOEXEC) < 0)
        {
            throw new IOException($"cannot pass {what} to the background process: {Errno.Describe(Marshal.GetLastPInvokeError())}");
        }
        return (int)handle.DangerousGetHandle();
    }

    /// <summary>
    /// The descriptor number in environment variable <paramref name="variable"/> (null when unset or empty),
    /// checked to be open; marks it close-on-exec again, so it goes no further than this process.
    /// </summary>
    public static int? Parse(string variable)
    {
        var text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var fd) || fd < 3)
        {
            throw new ArgumentException($"{variable}='{text}' is not a descriptor number (3 or more)");
        }
        using var borrowed = new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: false);
        var flags = Libc.Fcntl(borrowed, Libc.F_GETFD, 0);
        if (flags < 0)
        {
            throw new ArgumentException($"{variable}={fd}: descriptor {fd} is not open ({Errno.Describe(Marshal.GetLastPInvokeError())})");
        }
        _ = Libc.Fcntl(borrowed, Libc.F_SETFD, flags | Libc.FD_CLOEXEC);
        return fd;
    }
}
