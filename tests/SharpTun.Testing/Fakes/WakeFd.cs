using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SharpTun.Testing.Fakes;

/// <summary>
/// An eventfd (non-blocking, close-on-exec) as a fake's poll handle: readable while the counter is
/// non-zero. <see cref="Signal"/> and <see cref="Consume"/> are called under the owner's lock, so
/// readiness follows the owner's state exactly; neither allocates.
/// </summary>
internal sealed class WakeFd : IDisposable
{
    private const int EfdNonblock = 0x800; // O_NONBLOCK
    private const int EfdCloexec = 0x80000; // O_CLOEXEC

    private WakeFd(SafeFileHandle handle) => Handle = handle;

    internal SafeFileHandle Handle { get; }

    internal static WakeFd Create(string owner)
    {
        var fd = EventFd(0, EfdNonblock | EfdCloexec);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"cannot create the wake-up eventfd of {owner}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
        return new WakeFd(new SafeFileHandle(fd, ownsHandle: true));
    }

    /// <summary>Makes the fd readable (adds 1 to the counter). A closed fd is ignored.</summary>
    internal void Signal()
    {
        if (!Handle.IsClosed)
        {
            ulong one = 1;
            _ = Write(Handle, ref one, sizeof(ulong));
        }
    }

    /// <summary>Makes the fd quiet again (reads the counter back to 0).</summary>
    internal void Consume()
    {
        if (!Handle.IsClosed)
        {
            ulong value = 0;
            _ = Read(Handle, ref value, sizeof(ulong));
        }
    }

    public void Dispose() => Handle.Dispose();

#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code in this project; these signatures are blittable
    [DllImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    private static extern int EventFd(uint initialValue, int flags);

    [DllImport("libc", EntryPoint = "read", SetLastError = true)]
    private static extern nint Read(SafeHandle fd, ref ulong value, nint count);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    private static extern nint Write(SafeHandle fd, ref ulong value, nint count);
#pragma warning restore SYSLIB1054
}
