namespace SharpTun.Tunnel;

/// <summary>
/// How the TCP server guards its single peer slot (simpletun's protocol has no authentication, so
/// this is about silence, not identity):
/// <list type="bullet">
/// <item>a connection that sends no whole frame within <see cref="FirstFrameTimeout"/> is closed;</item>
/// <item>a connection silent for <see cref="IdleTimeout"/> is closed;</item>
/// <item>a new connection takes the slot of a peer that has been silent longer than
/// <see cref="ReplaceAfter"/> (the keepalive interval); otherwise it is refused (RST).</item>
/// </list>
/// </summary>
internal sealed record TcpPolicy
{
    internal TimeSpan FirstFrameTimeout { get; init; } = TimeSpan.FromSeconds(10);

    internal TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(120);

    internal TimeSpan ReplaceAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Connections taken per wake-up of the listener (a burst beyond waits in the backlog).</summary>
    internal int AcceptsPerWake { get; init; } = 64;
}
