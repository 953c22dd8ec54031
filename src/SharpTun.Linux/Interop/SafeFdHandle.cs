using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

/// <summary>
/// A file descriptor SharpTun opened itself that is neither a socket nor a regular file (eventfd,
/// epoll): closed with close(2) when released. -1 is the invalid value (0 is a valid fd).
/// </summary>
internal sealed class SafeFdHandle : SafeHandle
{
    /// <summary>An invalid handle (for the marshaller).</summary>
    public SafeFdHandle()
        : base(-1, ownsHandle: true)
    {
    }

    /// <summary>Takes ownership of <paramref name="fd"/>.</summary>
    internal SafeFdHandle(int fd)
        : base(-1, ownsHandle: true)
    {
        SetHandle(fd);
    }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == -1;

    /// <summary>The raw fd (valid only while a reference is held).</summary>
    internal int Fd => (int)handle;

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => Libc.Close((int)handle) == 0;
}
