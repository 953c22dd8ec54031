using System.Net;

namespace SharpTun.Packets.Tests;

/// <summary>
/// Builds test packets byte by byte, independently of the library's writers: fields are placed
/// by hand and checksums come from <see cref="NaiveChecksum"/>, a direct RFC 1071 loop.
/// </summary>
internal static class Build
{
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "").Replace("\n", ""));

    public static byte[] Ip(string address) => IPAddress.Parse(address).GetAddressBytes();

    public static byte[] Mac(string mac) => Hex(mac.Replace(":", ""));

    public static ushort NaiveChecksum(params byte[][] parts)
    {
        var all = parts.SelectMany(p => p).ToArray();
        long sum = 0;
        for (var i = 0; i < all.Length; i += 2)
        {
            var hi = all[i];
            var lo = i + 1 < all.Length ? all[i + 1] : 0;
            sum += (hi << 8) | lo;
        }
        while (sum >> 16 != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (ushort)~sum;
    }

    private static void Put16(byte[] b, int at, int v)
    {
        b[at] = (byte)(v >> 8);
        b[at + 1] = (byte)v;
    }

    private static void Put32(byte[] b, int at, uint v)
    {
        b[at] = (byte)(v >> 24);
        b[at + 1] = (byte)(v >> 16);
        b[at + 2] = (byte)(v >> 8);
        b[at + 3] = (byte)v;
    }

    public static byte[] Ipv4(string src, string dst, byte protocol, byte[] payload, byte ttl = 64, ushort id = 0x1234,
        bool df = true, bool mf = false, int fragmentOffset = 0, byte[]? options = null, int? totalLength = null)
    {
        options ??= [];
        var hl = 20 + options.Length;
        var b = new byte[hl + payload.Length];
        b[0] = (byte)(0x40 | (hl / 4));
        Put16(b, 2, totalLength ?? b.Length);
        Put16(b, 4, id);
        Put16(b, 6, (df ? 0x4000 : 0) | (mf ? 0x2000 : 0) | (fragmentOffset / 8));
        b[8] = ttl;
        b[9] = protocol;
        Ip(src).CopyTo(b, 12);
        Ip(dst).CopyTo(b, 16);
        options.CopyTo(b, 20);
        Put16(b, 10, NaiveChecksum(b[..hl]));
        payload.CopyTo(b, hl);
        return b;
    }

    public static byte[] Icmp(byte type, byte code, ushort id, ushort seq, byte[] data)
    {
        var b = new byte[8 + data.Length];
        b[0] = type;
        b[1] = code;
        Put16(b, 4, id);
        Put16(b, 6, seq);
        data.CopyTo(b, 8);
        Put16(b, 2, NaiveChecksum(b));
        return b;
    }

    public static byte[] PingData(int length = 56) => Enumerable.Range(0, length).Select(i => (byte)(i + 0x10)).ToArray();

    private static byte[] Pseudo(string src, string dst, byte protocol, int length)
    {
        var s = Ip(src);
        var d = Ip(dst);
        if (s.Length == 4)
        {
            return [.. s, .. d, 0, protocol, (byte)(length >> 8), (byte)length];
        }
        return [.. s, .. d, (byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length, 0, 0, 0, protocol];
    }

    public static byte[] Icmpv6(string src, string dst, byte type, byte code, byte[] rest)
    {
        var b = new byte[4 + rest.Length];
        b[0] = type;
        b[1] = code;
        rest.CopyTo(b, 4);
        Put16(b, 2, NaiveChecksum(Pseudo(src, dst, 58, b.Length), b));
        return b;
    }

    public static byte[] Icmpv6Echo(string src, string dst, byte type, ushort id, ushort seq, byte[] data)
    {
        var rest = new byte[4 + data.Length];
        Put16(rest, 0, id);
        Put16(rest, 2, seq);
        data.CopyTo(rest, 4);
        return Icmpv6(src, dst, type, 0, rest);
    }

    public static byte[] Udp(string src, string dst, ushort sport, ushort dport, byte[] data)
    {
        var b = new byte[8 + data.Length];
        Put16(b, 0, sport);
        Put16(b, 2, dport);
        Put16(b, 4, b.Length);
        data.CopyTo(b, 8);
        var c = NaiveChecksum(Pseudo(src, dst, 17, b.Length), b);
        Put16(b, 6, c == 0 ? 0xFFFF : c);
        return b;
    }

    public static byte[] Tcp(string src, string dst, ushort sport, ushort dport, uint seq, uint ack, int flags, ushort window,
        byte[]? options = null, byte[]? data = null)
    {
        options ??= [];
        data ??= [];
        var hl = 20 + options.Length;
        var b = new byte[hl + data.Length];
        Put16(b, 0, sport);
        Put16(b, 2, dport);
        Put32(b, 4, seq);
        Put32(b, 8, ack);
        Put16(b, 12, ((hl / 4) << 12) | flags);
        Put16(b, 14, window);
        options.CopyTo(b, 20);
        data.CopyTo(b, hl);
        Put16(b, 16, NaiveChecksum(Pseudo(src, dst, 6, b.Length), b));
        return b;
    }

    /// <summary>MSS 1460, SACK permitted, timestamps, NOP, window scale 7: what Linux puts in a SYN (20 bytes).</summary>
    public static byte[] LinuxSynOptions(uint tsval) =>
        [2, 4, 0x05, 0xB4, 4, 2, 8, 10, (byte)(tsval >> 24), (byte)(tsval >> 16), (byte)(tsval >> 8), (byte)tsval, 0, 0, 0, 0, 1, 3, 3, 7];

    public static byte[] Ipv6(string src, string dst, byte next, byte[] payload, byte hopLimit = 64, int? payloadLength = null)
    {
        var b = new byte[40 + payload.Length];
        b[0] = 0x60;
        Put16(b, 4, payloadLength ?? payload.Length);
        b[6] = next;
        b[7] = hopLimit;
        Ip(src).CopyTo(b, 8);
        Ip(dst).CopyTo(b, 24);
        payload.CopyTo(b, 40);
        return b;
    }

    /// <summary>An extension header of 8 bytes: next header, length 0, then 6 bytes (PadN for options headers).</summary>
    public static byte[] Ext8(byte next, byte type) => type switch
    {
        44 => [next, 0, 0, 0, 0, 0, 0, 0],
        43 => [next, 0, 0, 0, 0, 0, 0, 0], // routing type 0, segments left 0
        _ => [next, 0, 1, 4, 0, 0, 0, 0],   // PadN of 4
    };

    public static byte[] Eth(string dst, string src, ushort type, byte[] payload, int vlan = -1)
    {
        var tag = vlan >= 0 ? 4 : 0;
        var b = new byte[14 + tag + payload.Length];
        Mac(dst).CopyTo(b, 0);
        Mac(src).CopyTo(b, 6);
        if (vlan >= 0)
        {
            Put16(b, 12, 0x8100);
            Put16(b, 14, vlan);
        }
        Put16(b, 12 + tag, type);
        payload.CopyTo(b, 14 + tag);
        return b;
    }

    public static byte[] Arp(int op, string senderMac, string senderIp, string targetMac, string targetIp)
    {
        var b = new byte[28];
        Put16(b, 0, 1);
        Put16(b, 2, 0x0800);
        b[4] = 6;
        b[5] = 4;
        Put16(b, 6, op);
        Mac(senderMac).CopyTo(b, 8);
        Ip(senderIp).CopyTo(b, 14);
        Mac(targetMac).CopyTo(b, 18);
        Ip(targetIp).CopyTo(b, 24);
        return b;
    }

    /// <summary>A neighbour solicitation for <paramref name="target"/> with a source link-layer option, as Linux sends it.</summary>
    public static byte[] NeighborSolicitation(string src, string dst, string target, string mac)
    {
        byte[] rest = [0, 0, 0, 0, .. Ip(target), 1, 1, .. Mac(mac)];
        return Icmpv6(src, dst, 135, 0, rest);
    }

    public static string SolicitedNode(string address)
    {
        var a = Ip(address);
        return $"ff02::1:ff{a[13]:x2}:{a[14]:x2}{a[15]:x2}";
    }
}
