using System.Runtime.InteropServices;
using SharpTun.IO;
using SharpTun.Linux.Interop;
using SharpTun.Netlink;

namespace SharpTun.Linux.IO;

/// <summary>
/// An eventfd used as a wake-up: <see cref="Signal"/> makes it readable (from any thread, any
/// number of times), <see cref="Consume"/> makes it quiet again. Non-blocking, close-on-exec.
/// </summary>
internal sealed unsafe class WakeEvent : IDisposable
{
    private WakeEvent(SafeFdHandle handle) => Handle = handle;

    /// <summary>The eventfd.</summary>
    internal SafeFdHandle Handle { get; }

    /// <summary>A new quiet eventfd; <paramref name="owner"/> names what it belongs to in errors.</summary>
    internal static WakeEvent Create(string owner)
    {
        var fd = Libc.EventFd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new PacketIOException($"cannot create the wake-up eventfd of {owner}: {Errno.Describe(errno)}", owner, errno);
        }
        return new WakeEvent(new SafeFdHandle(fd));
    }

    /// <summary>Adds 1 to the counter: the fd polls readable until <see cref="Consume"/>. A closed fd is ignored.</summary>
    internal void Signal()
    {
        if (Handle.IsClosed)
        {
            return;
        }
        ulong one = 1;
        // EAGAIN only when the counter would overflow (2^64-2 signals): it is readable then anyway.
        _ = Libc.Write(Handle, (byte*)&one, sizeof(ulong));
    }

    /// <summary>Resets the counter to 0; true when it had been signalled.</summary>
    internal bool Consume()
    {
        ulong value;
        return Libc.Read(Handle, (byte*)&value, sizeof(ulong)) == sizeof(ulong);
    }

    /// <inheritdoc/>
    public void Dispose() => Handle.Dispose();
}
