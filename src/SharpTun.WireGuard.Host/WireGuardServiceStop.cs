namespace SharpTun.WireGuard.Host;

/// <summary>Why a <see cref="WireGuardService"/> stopped.</summary>
public enum WireGuardServiceStop
{
    /// <summary>The caller's cancellation token was cancelled.</summary>
    Cancelled,

    /// <summary>SIGTERM (<c>sharptun wg down</c>, systemd's stop) with <see cref="WireGuardServiceOptions.HandleSignals"/>: a requested stop.</summary>
    Terminated,

    /// <summary>SIGINT (Ctrl-C) with <see cref="WireGuardServiceOptions.HandleSignals"/>.</summary>
    Interrupted,

    /// <summary>
    /// The interface stopped by itself (<see cref="WireGuardHost.Completion"/> completed: its device was deleted,
    /// its socket broke); <see cref="WireGuardService.Failure"/> holds the cause when it was a failure.
    /// </summary>
    InterfaceStopped,
}
