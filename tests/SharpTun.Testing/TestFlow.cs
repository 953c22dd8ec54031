using System.Buffers.Binary;
using System.Net;
using SharpTun.Packets;
using SharpTun.Packets.Offload;

namespace SharpTun.Testing;

/// <summary>
/// One TCP or UDP flow whose packets are laid out byte by byte here, independently of the
/// offload code, with checksums from <see cref="Checksum"/> (the library's RFC 1071 code, not
/// the offload's own vectorised sum). Shared by the offload tests and the WireGuard pump tests.
/// </summary>
public sealed record TestFlow(bool V6, bool Tcp, string Source, string Destination, ushort SourcePort, ushort DestinationPort)
{
    public byte Tos { get; init; } = 0x00;
    public byte Ttl { get; init; } = 64;
    public uint FlowLabel { get; init; } = 0x12345;
    public bool DontFragment { get; init; } = true;
    public uint Ack { get; init; } = 0x1000_0001;
    public ushort Window { get; init; } = 502;
    public byte[] Options { get; init; } = [];

    public static TestFlow TcpV4(ushort sport = 40000) => new(false, true, "198.18.0.1", "198.18.0.2", sport, 5201)
    {
        // NOP NOP timestamps, as Linux sends on an established connection.
        Options = [1, 1, 8, 10, 0, 1, 0xe2, 0x40, 0, 0, 0x30, 0x39],
    };

    public static TestFlow TcpV6(ushort sport = 40001) => new(true, true, "2001:db8::1", "2001:db8::2", sport, 5201);

    public static TestFlow UdpV4(ushort sport = 40002) => new(false, false, "198.18.0.1", "198.18.0.2", sport, 51820);

    public static TestFlow UdpV6(ushort sport = 40003) => new(true, false, "2001:db8::1", "2001:db8::2", sport, 51820);

    public int IpHeaderLength => V6 ? 40 : 20;

    public int TransportHeaderLength => Tcp ? 20 + Options.Length : 8;

    public int HeaderLength => IpHeaderLength + TransportHeaderLength;

    /// <summary>An ordinary packet with complete checksums.</summary>
    public byte[] Packet(byte[] payload, uint seq = 0, byte flags = 0x10, ushort id = 0x4242)
    {
        var b = Layout(payload, seq, flags, id, out var l4);
        var c = Checksum.ComputeTransport(SourceBytes, DestinationBytes, (byte)(Tcp ? 6 : 17), b.AsSpan(l4));
        if (!Tcp && c == 0)
        {
            c = 0xFFFF;
        }
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(l4 + (Tcp ? 16 : 6)), c);
        return b;
    }

    /// <summary>
    /// A TSO/USO super-packet as tun hands it over: full lengths, the transport checksum field
    /// holding the folded pseudo-header sum over the whole transport length (CHECKSUM_PARTIAL),
    /// and its virtio-net header.
    /// </summary>
    public (VirtioNetHeader Header, byte[] Packet) SuperPacket(byte[] payload, int gsoSize, uint seq = 0, byte flags = 0x10, ushort id = 0x4242)
    {
        var b = Layout(payload, seq, flags, id, out var l4);
        var pseudo = V6
            ? Checksum.PseudoHeaderV6(SourceBytes, DestinationBytes, (byte)(Tcp ? 6 : 17), b.Length - l4)
            : Checksum.PseudoHeaderV4(SourceBytes, DestinationBytes, (byte)(Tcp ? 6 : 17), b.Length - l4);
        BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(l4 + (Tcp ? 16 : 6)), (ushort)~Checksum.Finish(pseudo));
        var type = Tcp ? (V6 ? VirtioGsoType.TcpV6 : VirtioGsoType.TcpV4) : VirtioGsoType.UdpL4;
        if (Tcp && (flags & 0x80) != 0)
        {
            type |= VirtioGsoType.Ecn;
        }
        var h = new VirtioNetHeader(VirtioNetFlags.NeedsChecksum, type, (ushort)HeaderLength, (ushort)gsoSize, (ushort)l4, (ushort)(Tcp ? 16 : 6));
        return (h, b);
    }

    public byte[] SourceBytes => IPAddress.Parse(Source).GetAddressBytes();

    public byte[] DestinationBytes => IPAddress.Parse(Destination).GetAddressBytes();

    private byte[] Layout(byte[] payload, uint seq, byte flags, ushort id, out int l4)
    {
        l4 = IpHeaderLength;
        var b = new byte[HeaderLength + payload.Length];
        if (V6)
        {
            BinaryPrimitives.WriteUInt32BigEndian(b, (6u << 28) | ((uint)Tos << 20) | (FlowLabel & 0xFFFFF));
            BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(4), (ushort)(b.Length - 40));
            b[6] = (byte)(Tcp ? 6 : 17);
            b[7] = Ttl;
            SourceBytes.CopyTo(b, 8);
            DestinationBytes.CopyTo(b, 24);
        }
        else
        {
            b[0] = 0x45;
            b[1] = Tos;
            BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(2), (ushort)b.Length);
            BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(4), id);
            b[6] = DontFragment ? (byte)0x40 : (byte)0;
            b[8] = Ttl;
            b[9] = (byte)(Tcp ? 6 : 17);
            SourceBytes.CopyTo(b, 12);
            DestinationBytes.CopyTo(b, 16);
            BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(10), Checksum.Compute(b.AsSpan(0, 20)));
        }
        var t = b.AsSpan(l4);
        BinaryPrimitives.WriteUInt16BigEndian(t, SourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(t[2..], DestinationPort);
        if (Tcp)
        {
            BinaryPrimitives.WriteUInt32BigEndian(t[4..], seq);
            BinaryPrimitives.WriteUInt32BigEndian(t[8..], Ack);
            t[12] = (byte)((TransportHeaderLength / 4) << 4);
            t[13] = flags;
            BinaryPrimitives.WriteUInt16BigEndian(t[14..], Window);
            Options.CopyTo(t[20..]);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(t[4..], (ushort)t.Length);
        }
        payload.CopyTo(b, HeaderLength);
        return b;
    }
}
