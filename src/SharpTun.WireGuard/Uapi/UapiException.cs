namespace SharpTun.WireGuard;

/// <summary>
/// A UAPI request or answer that cannot be used. <see cref="Errno"/> is what the server replies
/// (<see cref="UapiCodec.FormatStatus"/>); the message names the line, the key and the value in
/// words, for the log: <c>UAPI set, line 4: listen_port: '70000' is not a port number (0-65535)</c>.
/// </summary>
public sealed class UapiException : Exception
{
    /// <summary>Creates the error.</summary>
    public UapiException(int errno, string message, string? key = null, int line = 0)
        : base(message)
    {
        Errno = errno;
        Key = key;
        Line = line;
    }

    /// <summary>Creates the error (for serializers; errno = <see cref="UapiErrno.Invalid"/>).</summary>
    public UapiException()
        : this(UapiErrno.Invalid, "invalid UAPI request")
    {
    }

    /// <summary>Creates the error with errno <see cref="UapiErrno.Invalid"/>.</summary>
    public UapiException(string message)
        : this(UapiErrno.Invalid, message)
    {
    }

    /// <summary>Creates the error with errno <see cref="UapiErrno.Invalid"/> and an inner exception.</summary>
    public UapiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errno = UapiErrno.Invalid;
    }

    /// <summary>The positive errno (<see cref="UapiErrno"/>) to answer with.</summary>
    public int Errno { get; }

    /// <summary>The key of the offending line, when the error is about one.</summary>
    public string? Key { get; }

    /// <summary>The 1-based line of the request (the <c>set=1</c> line is line 1); 0 when not about a line.</summary>
    public int Line { get; }
}
