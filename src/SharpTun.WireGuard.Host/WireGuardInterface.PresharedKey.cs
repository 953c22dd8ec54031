using System.Security.Cryptography;

namespace SharpTun.WireGuard.Host;

public sealed partial class WireGuardInterface
{
    /// <summary>
    /// A new preshared key for a peer (under the lock), as Rosenpass sets one every ~2 minutes: the session stays
    /// (no packet is lost to the change), and when one is up a handshake starts at once, so the new key protects
    /// traffic within a round trip rather than at the next rekey (wireguard-go waits for that, up to 120 s). If the
    /// other side has not taken the same key yet, that handshake fails (a <c>bad_mac_or_decrypt</c> drop) and is
    /// retried after REKEY_TIMEOUT; the other side's own change starts one that succeeds. Traffic keeps using the
    /// current session meanwhile.
    /// </summary>
    private void SetPresharedKeyLocked(PeerState state, byte[] presharedKey)
    {
        var peer = state.Peer;
        _device.SetPresharedKey(peer, PskOrEmpty(presharedKey));
        CryptographicOperations.ZeroMemory(state.PresharedKey);
        state.PresharedKey = presharedKey.AsSpan().ContainsAnyExcept((byte)0) ? (byte[])presharedKey.Clone() : PeerState.NoPresharedKey;
        if (!peer.HasSession)
        {
            _log.Info(Name, $"peer {peer}: preshared key changed");
            return;
        }
        var r = _device.InitiateHandshake(peer, _timerScratch, force: true);
        if (r.Action == WireGuardAction.WriteToNetwork)
        {
            SendFromScratch(_timerScratch, r.Length, r.Destination, state, Volatile.Read(ref _bind), _timerOne);
        }
        else if (r.Action == WireGuardAction.Error)
        {
            CountError(r);
        }
        _log.Info(Name, $"peer {peer}: preshared key changed; handshake started with it (the session stays up)");
    }
}
