namespace SharpTun.Linux.Tun;

/// <summary>A TUN/TAP operation failed; the message names the device and the cause.</summary>
public sealed class TunException : IOException
{
    /// <summary>The errno the kernel returned, or 0 when the error was found before any system call.</summary>
    public int Errno { get; }

    /// <summary>The device the operation was about, when known.</summary>
    public string? DeviceName { get; }

    /// <summary>Creates the exception.</summary>
    public TunException(string message, string? deviceName = null, int errno = 0) : base(message)
    {
        Errno = errno;
        DeviceName = deviceName;
    }
}
