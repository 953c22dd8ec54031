using System.Buffers.Binary;

namespace SharpTun.Packets;

/// <summary>
/// DNS over UDP port 53, over TCP ports 53 and 5353, and mDNS (UDP 5353) as tshark's Info column shows
/// it (RFC 1035 message, RFC 3596 AAAA, RFC 6891 OPT, RFC 6762 mDNS bits):
/// <c>Standard query 0x1a2b A example.com OPT</c>,
/// <c>Standard query response 0x1a2b A example.com A 93.184.216.34</c>,
/// <c>Standard query response 0x1a2b No such name AAAA nosuch.example SOA ns.example</c>.
/// Compressed names are followed (bounded hops); a message that ends early gets <c>[Malformed Packet]</c>.
/// </summary>
public static partial class PacketSummary
{
    /// <summary>The well-known DNS port (RFC 1035 §4.2.1); tshark also reads DNS over TCP on 5353.</summary>
    private const ushort DnsPort = 53;

    /// <summary>The multicast DNS port (RFC 6762); tshark names the protocol MDNS on UDP.</summary>
    private const ushort MdnsPort = 5353;

    private const int DnsHeaderLength = 12;

    // Stop adding records once the line is this long: one more name (≤ 253) with its type still fits MaxLineLength.
    private const int DnsLineBudget = MaxLineLength - 300;

    /// <summary>
    /// tshark's DNS Info. mDNS (RFC 6762 §5.4, §10.2) adds the question's unicast-response bit
    /// (<c>, "QU" question</c> or <c>, "QM" question</c>) and a record's cache-flush bit (<c>, cache flush</c>),
    /// both the top bit of the class.
    /// </summary>
    private static void WriteDns(ref CharWriter w, ReadOnlySpan<byte> m, bool mdns)
    {
        if (m.Length < 4)
        {
            w.Append("[Malformed Packet]");
            return;
        }
        var id = BinaryPrimitives.ReadUInt16BigEndian(m);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(m[2..]);
        var response = (flags & 0x8000) != 0;
        var opcode = (flags >> 11) & 0xF;
        var rcode = flags & 0xF;
        AppendOpcode(ref w, opcode);
        if (response)
        {
            w.Append(" response");
        }
        w.Append(' ');
        w.AppendHex(id, 4);
        if (response && rcode != 0)
        {
            w.Append(' ');
            AppendRcode(ref w, rcode);
        }
        if (m.Length < DnsHeaderLength)
        {
            w.Append("[Malformed Packet]");
            return;
        }
        int questions = BinaryPrimitives.ReadUInt16BigEndian(m[4..]);
        var records = BinaryPrimitives.ReadUInt16BigEndian(m[6..]) + BinaryPrimitives.ReadUInt16BigEndian(m[8..]) + BinaryPrimitives.ReadUInt16BigEndian(m[10..]);
        var at = DnsHeaderLength;
        for (var i = 0; i < questions + records; i++)
        {
            if (w.Length > DnsLineBudget)
            {
                w.Append(" ...");
                return;
            }
            var nameAt = at;
            if (!SkipName(m, ref at) || at + (i < questions ? 4 : 10) > m.Length)
            {
                w.Append("[Malformed Packet]");
                return;
            }
            var type = BinaryPrimitives.ReadUInt16BigEndian(m[at..]);
            var topClassBit = (m[at + 2] & 0x80) != 0;
            w.Append(' ');
            AppendDnsType(ref w, type);
            if (i < questions)
            {
                w.Append(' ');
                AppendName(ref w, m, nameAt);
                if (mdns)
                {
                    w.Append(topClassBit ? ", \"QU\" question" : ", \"QM\" question");
                }
                at += 4;
                continue;
            }
            if (mdns && topClassBit)
            {
                w.Append(", cache flush");
            }
            int length = BinaryPrimitives.ReadUInt16BigEndian(m[(at + 8)..]);
            var data = at + 10;
            at = data + length;
            if (at > m.Length)
            {
                w.Append("[Malformed Packet]");
                return;
            }
            AppendRecordData(ref w, m, type, data, length);
        }
    }

    private static void AppendOpcode(ref CharWriter w, int opcode)
    {
        var name = opcode switch
        {
            0 => "Standard query",
            1 => "Inverse query",
            2 => "Server status request",
            4 => "Zone change notification",
            5 => "Dynamic update",
            6 => "DNS Stateful operations (DSO)",
            _ => null,
        };
        if (name is not null)
        {
            w.Append(name);
            return;
        }
        w.Append("Unknown operation (");
        w.Append(opcode);
        w.Append(')');
    }

    private static void AppendRcode(ref CharWriter w, int rcode)
    {
        var name = rcode switch
        {
            1 => "Format error",
            2 => "Server failure",
            3 => "No such name",
            4 => "Not implemented",
            5 => "Refused",
            6 => "Name exists",
            7 => "RRset exists",
            8 => "RRset does not exist",
            9 => "Not authoritative",
            10 => "Name out of zone",
            11 => "DSO-Type not implemented",
            _ => null,
        };
        if (name is not null)
        {
            w.Append(name);
            return;
        }
        w.Append("Unknown error (");
        w.Append(rcode);
        w.Append(')');
    }

    private static void AppendRecordData(ref CharWriter w, ReadOnlySpan<byte> m, ushort type, int data, int length)
    {
        switch (type)
        {
            case 1 when length == 4:
            case 28 when length == 16:
                w.Append(' ');
                w.AppendAddress(m.Slice(data, length));
                return;
            case 2 or 5 or 12 or 6 or 47: // NS, CNAME, PTR, SOA (its MNAME), NSEC (its next name)
                w.Append(' ');
                AppendName(ref w, m, data);
                return;
            case 15 when length > 2: // MX: preference, exchange
                w.Append(' ');
                w.Append(BinaryPrimitives.ReadUInt16BigEndian(m[data..]));
                w.Append(' ');
                AppendName(ref w, m, data + 2);
                return;
            case 33 when length > 6: // SRV: priority, weight, port, target
                for (var k = 0; k < 3; k++)
                {
                    w.Append(' ');
                    w.Append(BinaryPrimitives.ReadUInt16BigEndian(m[(data + (2 * k))..]));
                }
                w.Append(' ');
                AppendName(ref w, m, data + 6);
                return;
        }
    }

    /// <summary>Advances past a (possibly compressed) name; false when it runs off the message.</summary>
    private static bool SkipName(ReadOnlySpan<byte> m, ref int at)
    {
        while (at < m.Length)
        {
            var len = m[at];
            if ((len & 0xC0) == 0xC0)
            {
                at += 2;
                return at <= m.Length;
            }
            if ((len & 0xC0) != 0)
            {
                return false;
            }
            at += 1 + len;
            if (len == 0)
            {
                return at <= m.Length;
            }
        }
        return false;
    }

    private static void AppendName(ref CharWriter w, ReadOnlySpan<byte> m, int at)
    {
        var first = true;
        // RFC 1035 names are at most 255 bytes, so a legitimate chain has fewer than 128 pointers.
        for (var hops = 0; hops < 128 && at < m.Length;)
        {
            var len = m[at];
            if ((len & 0xC0) == 0xC0)
            {
                if (at + 1 >= m.Length)
                {
                    break;
                }
                at = ((len & 0x3F) << 8) | m[at + 1];
                hops++;
                continue;
            }
            if (len == 0 || (len & 0xC0) != 0 || at + 1 + len > m.Length)
            {
                break;
            }
            if (!first)
            {
                w.Append('.');
            }
            first = false;
            foreach (var b in m.Slice(at + 1, len))
            {
                if (b is > 0x20 and < 0x7F)
                {
                    w.Append((char)b);
                }
                else
                {
                    w.Append('\\');
                    w.Append((long)b);
                }
            }
            at += 1 + len;
        }
        if (first)
        {
            w.Append("<Root>");
        }
    }

    private static void AppendDnsType(ref CharWriter w, ushort type)
    {
        var name = type switch
        {
            1 => "A",
            2 => "NS",
            5 => "CNAME",
            6 => "SOA",
            12 => "PTR",
            13 => "HINFO",
            15 => "MX",
            16 => "TXT",
            28 => "AAAA",
            33 => "SRV",
            35 => "NAPTR",
            41 => "OPT",
            43 => "DS",
            46 => "RRSIG",
            47 => "NSEC",
            48 => "DNSKEY",
            50 => "NSEC3",
            64 => "SVCB",
            65 => "HTTPS",
            99 => "SPF",
            252 => "AXFR",
            255 => "ANY",
            257 => "CAA",
            _ => null,
        };
        if (name is not null)
        {
            w.Append(name);
            return;
        }
        w.Append("Unknown (");
        w.Append(type);
        w.Append(')');
    }
}
