namespace SharpTun.WireGuard;

/// <summary>
/// Told of each change of a peer's remote address or transport (<see cref="WireGuardDevice.EndpointChanged"/>),
/// in the order they happened: called under the peer's lock by the thread that made the change (a packet's
/// decryption, a handshake, a configuration call). Keep it short; it must not call back into the device.
/// </summary>
/// <param name="peer">The peer whose endpoint changed.</param>
/// <param name="from">The endpoint before (remote unset when it had none).</param>
/// <param name="to">The endpoint now.</param>
/// <param name="cause">"learned", "roam", "tcp", "udp", "set", or the cause a caller of <see cref="WireGuardPeer.SetEndpoint"/> gave.</param>
public delegate void EndpointChangedHandler(WireGuardPeer peer, in DatagramEndpoint from, in DatagramEndpoint to, string cause);
