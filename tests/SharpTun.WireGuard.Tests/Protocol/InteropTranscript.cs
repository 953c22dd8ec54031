using System.Buffers.Binary;
using SharpTun.WireGuard;
using SharpTun.Testing;

namespace SharpTun.WireGuard.Tests;

/// <summary>
/// The fixed inputs of the wireguard-go interop run and the transcript file it records
/// (Vectors/wireguard-go-handshake.txt: <c>name = hex</c> lines, '#' comments).
/// </summary>
internal static class InteropTranscript
{
    /// <summary>Our static private key (test only).</summary>
    internal const string OurPrivateKey = "GFVkIwOKdj7e8f1PC/1VOrSAvLBNbL+KRWn+y5YZIUY=";

    /// <summary>wireguard-go's static private key (test only).</summary>
    internal const string TheirPrivateKey = "6NNkcfRX6AvwwKoTQaJLDBliA8y8dsr5GCesGShbj2Y=";

    /// <summary>Seed of the <see cref="SeededRandom"/> that gives our sender index and ephemeral key.</summary>
    internal const int Seed = 20260102;

    /// <summary>Wall clock at the initiation: gives the TAI64N timestamp.</summary>
    internal static readonly DateTimeOffset Time = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    internal const string FileName = "wireguard-go-handshake.txt";

    internal static string SourcePath => Path.Combine(Repo.Root, "tests", "SharpTun.WireGuard.Tests", "Vectors", FileName);

    internal static string OutputPath => Path.Combine(AppContext.BaseDirectory, "Vectors", FileName);

    /// <summary>Our device as the initiator with the fixed key, clock and randomness.</summary>
    internal static (WireGuardDevice Device, WireGuardPeer Peer, ManualTimeProvider Clock) CreateInitiator()
    {
        var clock = new ManualTimeProvider(Time);
        var device = new WireGuardDevice(WireGuardKeys.Parse(OurPrivateKey), clock, new SeededRandom(Seed));
        var peer = device.AddPeer(WireGuardKeys.PublicKey(WireGuardKeys.Parse(TheirPrivateKey)));
        device.AllowedIps.Insert(System.Net.IPAddress.Parse("198.19.0.0"), 24, peer);
        return (device, peer, clock);
    }

    /// <summary>ICMP echo request 198.19.0.1 → 198.19.0.2, id 0x5354, seq 1, 56 bytes of payload: 84 bytes.</summary>
    internal static byte[] EchoRequest()
    {
        var p = TestPackets.Ipv4("198.19.0.1", "198.19.0.2", 84);
        p[9] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(4), 0x4242);
        p[6] = 0x40;
        p[10] = p[11] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(10), TestPackets.Checksum(p.AsSpan(0, 20)));
        var icmp = p.AsSpan(20);
        icmp[0] = 8;
        icmp[1] = 0;
        icmp[2] = icmp[3] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(icmp[4..], 0x5354);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[6..], 1);
        for (var i = 8; i < icmp.Length; i++)
        {
            icmp[i] = (byte)i;
        }
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], TestPackets.Checksum(icmp));
        return p;
    }

    internal static Dictionary<string, byte[]> Read(string path)
    {
        var d = new Dictionary<string, byte[]>();
        foreach (var line in File.ReadAllLines(path))
        {
            var t = line.Trim();
            if (t.Length == 0 || t[0] == '#')
            {
                continue;
            }
            var eq = t.IndexOf('=', StringComparison.Ordinal);
            d[t[..eq].Trim()] = Convert.FromHexString(t[(eq + 1)..].Trim());
        }
        return d;
    }

    internal static void Write(string path, byte[] initiation, byte[] response, byte[] data, byte[] plaintext)
    {
        File.WriteAllLines(path,
        [
            "# Recorded by WireGuardGoInteropTests.HandshakeAndPing_AgainstWireguardGo with SHARPTUN_RECORD_WG_VECTORS=1.",
            "# Inputs: see InteropTranscript.cs (both static keys, random seed, clock). Hex, one message per line.",
            "initiation = " + Convert.ToHexStringLower(initiation),
            "response = " + Convert.ToHexStringLower(response),
            "first_data_from_wireguard_go = " + Convert.ToHexStringLower(data),
            "first_data_plaintext = " + Convert.ToHexStringLower(plaintext),
        ]);
    }
}
