using System.Buffers.Binary;
using System.Net;
using SharpTun.IO;
using SharpTun.WireGuard;
using SharpTun.WireGuard.Host;

namespace SharpTun.Testing.Fakes;

/// <summary>
/// One started <see cref="WireGuardInterface"/> ("A", 198.19.0.1, at 198.18.0.1:51820) over a
/// <see cref="LoadTun"/> and a <see cref="LoadBind"/>, with <c>peers</c> peers, each a bare protocol core
/// (<see cref="Remote"/>, peer <see cref="RemotePeer"/> = A: 198.19.(1 + k / 256).(k % 256 + 1) at 198.18.(1 + k / 256).(k % 256 + 1):51820) with whom A completed a handshake
/// through <see cref="WireGuardInterface.Configure{T}"/>, so both sides have a confirmed session before
/// the load starts. Used by the pipeline tests and by bench/SharpTun.Bench (dataplane). Packets carry (peer, sequence) at bytes 20..26 of an IPv4 packet of protocol 253.
/// </summary>
public sealed class LoadRig : IDisposable
{
    /// <summary>Where A is, as the remote cores see it.</summary>
    public static readonly NetEndpoint EndpointA = NetEndpoint.From(IPEndPoint.Parse("198.18.0.1:51820"));

    public readonly LoadTun Tun;
    public readonly LoadBind Bind;
    public readonly WireGuardInterface A;
    public readonly WireGuardDevice[] Remote;
    public readonly WireGuardPeer[] RemotePeer;
    public readonly NetEndpoint[] RemoteEndpoints;

    /// <param name="peers">Remote peers.</param>
    /// <param name="workers">A's <see cref="WireGuardInterface.Workers"/>.</param>
    /// <param name="tunPackets">What A's tun hands out (round robin).</param>
    /// <param name="limit">How many packets the tun hands out in all; -1 (the default): each of <paramref name="tunPackets"/> once.</param>
    public LoadRig(int peers, int workers, IReadOnlyList<ReadOnlyMemory<byte>> tunPackets, long limit = -1)
    {
        Tun = new LoadTun("wgload", tunPackets, limit < 0 ? tunPackets.Count : limit);
        Bind = new LoadBind(51820);
        var key = WireGuardKeys.GeneratePrivateKey();
        A = new WireGuardInterface(Tun, key, (_, _) => Bind, 51820) { Workers = workers };
        Remote = new WireGuardDevice[peers];
        RemotePeer = new WireGuardPeer[peers];
        RemoteEndpoints = new NetEndpoint[peers];
        var x = new byte[2048];
        var y = new byte[2048];
        for (var k = 0; k < peers; k++)
        {
            var remoteKey = WireGuardKeys.GeneratePrivateKey();
            var remote = Remote[k] = new WireGuardDevice(remoteKey);
            var pa = RemotePeer[k] = remote.AddPeer(WireGuardKeys.PublicKey(key));
            remote.AllowedIps.Insert(IPAddress.Parse("198.19.0.1"), 32, pa);
            var host = $"{1 + (k >> 8)}.{(k & 255) + 1}";
            RemoteEndpoints[k] = NetEndpoint.From(IPEndPoint.Parse($"198.18.{host}:51820"));
            var publicKey = WireGuardKeys.PublicKey(remoteKey);
            A.SetPeer(publicKey, endpoint: RemoteEndpoints[k], allowedIps: [IPNetwork.Parse($"198.19.{host}/32")]);
            var init = A.Configure(d => d.InitiateHandshake(d.FindPeer(publicKey)!, x, force: true));
            var response = remote.Decapsulate(EndpointA, x.AsSpan(0, init.Length), y);
            var endpoint = RemoteEndpoints[k];
            var confirm = A.Configure(d => d.Decapsulate(endpoint, y.AsSpan(0, response.Length), x));
            var confirmed = remote.Decapsulate(EndpointA, x.AsSpan(0, confirm.Length), y);
            if (init.Action != WireGuardAction.WriteToNetwork || response.Action != WireGuardAction.WriteToNetwork
                || confirm.Action != WireGuardAction.WriteToNetwork || confirmed.Action == WireGuardAction.Error)
            {
                throw new InvalidOperationException($"handshake with peer {k} failed: {init.Action}, {response.Action}, {confirm.Action}, {confirmed.Error}");
            }
        }
    }

    /// <summary>An IPv4 packet of <paramref name="length"/> bytes (≥ 28) from/to peer <paramref name="peer"/>'s address carrying (peer, sequence).</summary>
    public static byte[] Packet(int peer, int sequence, int length, bool toPeer)
    {
        var p = new byte[length];
        p[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), (ushort)length);
        p[8] = 64;
        p[9] = 253;
        byte[] a = [198, 19, 0, 1];
        byte[] b = [198, 19, (byte)(1 + (peer >> 8)), (byte)((peer & 255) + 1)];
        (toPeer ? a : b).CopyTo(p, 12);
        (toPeer ? b : a).CopyTo(p, 16);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(20), (ushort)peer);
        BinaryPrimitives.WriteInt32BigEndian(p.AsSpan(22), sequence);
        for (var i = 26; i < length; i++)
        {
            p[i] = (byte)(sequence + i);
        }
        return p;
    }

    /// <summary>The (peer, sequence) a <see cref="Packet"/> carries.</summary>
    public static (int Peer, int Sequence) Read(ReadOnlySpan<byte> packet) =>
        (BinaryPrimitives.ReadUInt16BigEndian(packet[20..]), BinaryPrimitives.ReadInt32BigEndian(packet[22..]));

    public void Dispose()
    {
        A.Dispose();
        foreach (var r in Remote)
        {
            r.Dispose();
        }
    }
}
