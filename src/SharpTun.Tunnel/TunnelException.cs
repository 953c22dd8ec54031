namespace SharpTun.Tunnel;

/// <summary>A tunnel cannot start or cannot go on; the message names the object and the cause ("no such device 'tun9'").</summary>
public sealed class TunnelException : IOException
{
    /// <summary>Creates the exception.</summary>
    public TunnelException(string message, TunnelFailure failure = TunnelFailure.Other, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
    }

    /// <summary>What failed, for callers that add advice (a command line suggests its create flag).</summary>
    public TunnelFailure Failure { get; }
}
