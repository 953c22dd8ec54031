using System.Net;

using SharpTun.WireGuard;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>
/// Attacker traffic built with the project's own pure protocol core: well-formed initiations from
/// static keys the server does not know (mac1 under <paramref name="responderPublic"/>, right or wrong),
/// and forged data messages carrying a live receiver index.
/// </summary>
internal static class Forge
{
    /// <summary><paramref name="count"/> 148-byte initiations from fresh unknown static keys, mac1 keyed by <paramref name="responderPublic"/>.</summary>
    internal static List<byte[]> Initiations(int count, string responderPublic, int perDevice = 50)
    {
        var responder = WireGuardKeys.Parse(responderPublic);
        List<byte[]> all = new(count);
        var buf = new byte[256];
        while (all.Count < count)
        {
            using var device = new WireGuardDevice(WireGuardKeys.GeneratePrivateKey());
            var peer = device.AddPeer(responder);
            peer.Endpoint = SharpTun.IO.NetEndpoint.From(new IPEndPoint(IPAddress.Parse("198.18.0.1"), 51820));
            for (var i = 0; i < perDevice && all.Count < count; i++)
            {
                var r = device.InitiateHandshake(peer, buf, force: true);
                if (r.Action != WireGuardAction.WriteToNetwork || r.Length != 148)
                {
                    throw new InvalidOperationException($"the core made no initiation: {r.Action} {r.Error}");
                }
                all.Add(buf.AsSpan(0, r.Length).ToArray());
            }
        }
        return all;
    }

    /// <summary>A transport-data message (type 4) for <paramref name="receiverIndex"/> with a random counter and ciphertext.</summary>
    internal static byte[] DataMessage(Random rng, ReadOnlySpan<byte> receiverIndex)
    {
        var body = 16 * rng.Next(0, 80) + 16;
        var m = new byte[16 + body];
        rng.NextBytes(m);
        m[0] = 4;
        m[1] = m[2] = m[3] = 0;
        receiverIndex.CopyTo(m.AsSpan(4, 4));
        return m;
    }

    /// <summary>A random datagram of 1..1400 bytes; a third of them start like a WireGuard message (type 1–4, zero reserved bytes).</summary>
    internal static byte[] Random(Random rng)
    {
        var m = new byte[rng.Next(1, 1401)];
        rng.NextBytes(m);
        if (m.Length >= 4 && rng.Next(3) == 0)
        {
            m[0] = (byte)rng.Next(1, 5);
            m[1] = m[2] = m[3] = 0;
        }
        return m;
    }
}
