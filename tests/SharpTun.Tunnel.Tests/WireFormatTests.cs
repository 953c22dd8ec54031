using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using SharpTun.Linux.Namespaces;
using SharpTun.Packets;
using SharpTun.Testing;

namespace SharpTun.Tunnel.Tests;

/// <summary>The test itself speaks simpletun's wire format (2-byte big-endian length + IP packet, no handshake) to a SharpTun endpoint.</summary>
public sealed class WireFormatTests
{
    [RootFact]
    public void A_raw_simpletun_style_peer_gets_the_echo_reply_framed_the_same_way()
    {
        using var bed = Testbed.Create();
        var server = bed.StartServer("tcp");
        server.WaitForStart();
        var reply = NetNamespace.Run(bed.B.Name, () =>
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Connect(new IPEndPoint(IPAddress.Parse(Testbed.WireA), 55555));
            s.ReceiveTimeout = 10_000;
            var request = EchoRequest(IPAddress.Parse(Testbed.TunB), IPAddress.Parse(Testbed.TunA), id: 0x5354, seq: 1);
            var frame = new byte[2 + request.Length];
            BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)request.Length);
            request.CopyTo(frame, 2);
            s.Send(frame);
            // Read frames until the echo reply arrives (the kernel may also send e.g. IPv6 router solicitations).
            while (true)
            {
                var header = ReadExactly(s, 2);
                var packet = ReadExactly(s, BinaryPrimitives.ReadUInt16BigEndian(header));
                if (packet.Length >= 28 && packet[0] >> 4 == 4 && packet[9] == 1 && packet[20] == 0)
                {
                    return packet;
                }
            }
        });
        Assert.Equal(84, reply.Length);
        Assert.Equal(IPAddress.Parse(Testbed.TunA).GetAddressBytes(), reply[12..16]);
        Assert.Equal(IPAddress.Parse(Testbed.TunB).GetAddressBytes(), reply[16..20]);
        Assert.Equal(0x5354, BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(24)));
        Assert.Equal(0, Checksum.Compute(reply.AsSpan(20)));
    }

    private static byte[] EchoRequest(IPAddress source, IPAddress destination, ushort id, ushort seq)
    {
        var p = new byte[84];
        p[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), 84);
        p[8] = 64;
        p[9] = 1;
        source.GetAddressBytes().CopyTo(p, 12);
        destination.GetAddressBytes().CopyTo(p, 16);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(10), Checksum.Compute(p.AsSpan(0, 20)));
        p[20] = 8;
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(24), id);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(26), seq);
        for (var i = 28; i < 84; i++)
        {
            p[i] = (byte)i;
        }
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(22), Checksum.Compute(p.AsSpan(20)));
        return p;
    }

    private static byte[] ReadExactly(Socket s, int n)
    {
        var buffer = new byte[n];
        var got = 0;
        while (got < n)
        {
            var r = s.Receive(buffer, got, n - got, SocketFlags.None);
            if (r == 0)
            {
                throw new EndOfStreamException($"connection closed after {got} of {n} bytes");
            }
            got += r;
        }
        return buffer;
    }
}
