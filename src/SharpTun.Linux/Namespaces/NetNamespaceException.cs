namespace SharpTun.Linux.Namespaces;

/// <summary>A namespace operation failed; the message names the namespace and the cause.</summary>
public sealed class NetNamespaceException : IOException
{
    /// <summary>The errno, or 0 when the error was found before any system call.</summary>
    public int Errno { get; }

    /// <summary>Creates the exception.</summary>
    public NetNamespaceException(string message, int errno = 0) : base(message) => Errno = errno;
}
