namespace SharpTun.Netlink;

/// <summary>
/// A netlink operation failed. The message names the operation, the object and the kernel's reason,
/// e.g. <c>cannot add address 10.0.0.1/24 to 'nope0': no such device</c>, followed by the kernel's
/// extended-ACK text in parentheses when it sent one.
/// </summary>
public class NetlinkException : IOException
{
    /// <summary>The positive errno the kernel returned, or 0 for errors found in user space.</summary>
    public int Errno { get; }

    /// <summary>The kernel's extended-ACK message (NLMSGERR_ATTR_MSG), when it sent one.</summary>
    public string? KernelMessage { get; }

    /// <summary>Creates the exception.</summary>
    public NetlinkException(string message, int errno = 0, string? kernelMessage = null) : base(message)
    {
        Errno = errno;
        KernelMessage = kernelMessage;
    }
}

/// <summary>A netlink message from the kernel (or a fake) was truncated or malformed.</summary>
public sealed class NetlinkFormatException : NetlinkException
{
    /// <summary>Creates the exception.</summary>
    public NetlinkFormatException(string message) : base("malformed netlink message: " + message)
    {
    }
}
