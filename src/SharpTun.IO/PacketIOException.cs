using System.IO;

namespace SharpTun.IO;

/// <summary>
/// A packet device or datagram socket failed as a whole (deleted, closed, broken). The message names
/// the object and the cause in words ("cannot read from device 'tun0': the device was deleted").
/// </summary>
public sealed class PacketIOException : IOException
{
    /// <summary>Creates the exception for <paramref name="objectName"/> with the errno behind it (0 when none).</summary>
    public PacketIOException(string message, string objectName, int errno)
        : base(message)
    {
        ObjectName = objectName;
        Errno = errno;
    }

    /// <summary>The device or socket ("tun0", "UDP socket on [::]:51820").</summary>
    public string ObjectName { get; }

    /// <summary>The errno behind the failure, or 0.</summary>
    public int Errno { get; }
}
