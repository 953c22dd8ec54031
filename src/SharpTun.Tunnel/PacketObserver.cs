namespace SharpTun.Tunnel;

/// <summary>
/// Sees every packet the tunnel carried (after it was sent, or written to the device), on the
/// tunnel's event-loop thread. The span is valid only during the call; do not block.
/// </summary>
public delegate void PacketObserver(PacketDirection direction, ReadOnlySpan<byte> packet);
