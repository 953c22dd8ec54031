namespace SharpTun.IO;

/// <summary>
/// What a bind that also carries datagrams over stream connections (the WireGuard TCP fallback)
/// needs from its host, reached through <see cref="IDatagramBind.StreamFallback"/>: which remotes it
/// may dial when a send to them finds no connection, and which connection has proven itself (its
/// messages authenticated), so it may carry full-size frames. Any thread; each call idempotent.
/// </summary>
public interface IStreamFallback
{
    /// <summary>Lets a send to <paramref name="remote"/> over a stream open a connection when none is up.</summary>
    void AddDialTarget(in NetEndpoint remote);

    /// <summary>Stops dialing <paramref name="remote"/> (an open connection stays until it ends).</summary>
    void RemoveDialTarget(in NetEndpoint remote);

    /// <summary>The host authenticated a message from the connection to <paramref name="remote"/>: trust it fully.</summary>
    void Confirm(in NetEndpoint remote);
}
