namespace SharpTun.Tunnel;

/// <summary>Produces links to the peer one at a time: a server accepts, a client connects (with backoff).</summary>
public interface ITransport : IDisposable
{
    /// <summary>A description for the start-up log ("TCP server on [::]:55555").</summary>
    string Description { get; }

    /// <summary>Waits for the next link; throws <see cref="OperationCanceledException"/> when cancelled.</summary>
    IPeerLink Next(CancellationToken cancellationToken);
}
