namespace SharpTun.Tunnel;

/// <summary>The cause of a <see cref="TunnelException"/>.</summary>
public enum TunnelFailure
{
    /// <summary>Anything else.</summary>
    Other,

    /// <summary>The device does not exist and the settings did not ask to create it.</summary>
    NoSuchDevice,

    /// <summary>The server's name does not resolve.</summary>
    CannotResolve,

    /// <summary>The listening address or port cannot be bound.</summary>
    CannotListen,
}
