// A bounded UDP flooder for bench/flood.sh: holds a rate (or as fast as one core sends) of one kind of
// hostile datagram at a WireGuard endpoint for a given time, then stops by itself and prints what it sent.
//   initiations  148-byte handshake initiations with a VALID mac1 for the victim's public key (so they pass
//                the cheap check) and random sender index, ephemeral, encrypted static and timestamp
//   random       148-byte random datagrams that look like initiations (type 1) but carry no valid mac1
//   data         transport-data messages for a live receiver index (--index, 8 hex digits as on the wire)
//                with random counters and ciphertext
// usage: Flooder MODE HOST PORT RATE SECONDS [PUBKEY_BASE64 | INDEX_HEX]   (RATE 0 = unpaced)
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SharpTun.Crypto;

if (args.Length < 5)
{
    Console.Error.WriteLine("usage: Flooder initiations|random|data HOST PORT RATE SECONDS [PUBKEY_BASE64|INDEX_HEX]");
    return 2;
}
var mode = args[0];
var target = new IPEndPoint(IPAddress.Parse(args[1]), int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
var rate = long.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
var seconds = Math.Clamp(double.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture), 0.1, 300); // bounded in time, always
var rng = new Random(20);

// A pool of distinct datagrams, built before the clock starts, sent round-robin.
const int Pool = 4096;
var pool = new byte[Pool][];
switch (mode)
{
    case "initiations":
    {
        var publicKey = Convert.FromBase64String(args[5]);
        Span<byte> mac1Key = stackalloc byte[32];
        Blake2s.Hash("mac1----"u8, publicKey, mac1Key); // HASH(LABEL_MAC1 || Spub_r)
        for (var i = 0; i < Pool; i++)
        {
            var m = new byte[148];
            rng.NextBytes(m.AsSpan(4, 112)); // sender index, ephemeral, encrypted static, encrypted timestamp
            m[0] = 1;
            Blake2s.Mac(mac1Key, m.AsSpan(0, 116), m.AsSpan(116, 16)); // mac1 over msg[..116]; mac2 stays zero
            pool[i] = m;
        }
        break;
    }
    case "random":
        for (var i = 0; i < Pool; i++)
        {
            var m = new byte[148];
            rng.NextBytes(m);
            m[0] = 1;
            m[1] = m[2] = m[3] = 0;
            pool[i] = m;
        }
        break;
    case "data":
    {
        var index = Convert.FromHexString(args[5]);
        for (var i = 0; i < Pool; i++)
        {
            var m = new byte[16 + 128 + 16];
            rng.NextBytes(m);
            m[0] = 4;
            m[1] = m[2] = m[3] = 0;
            index.CopyTo(m.AsSpan(4, 4));
            pool[i] = m;
        }
        break;
    }
    default:
        Console.Error.WriteLine($"flooder: unknown mode '{mode}' (initiations, random, data)");
        return 2;
}

// SIGTERM/SIGINT end the flood early, still with the summary line.
var stop = false;
using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; Volatile.Write(ref stop, true); });
using var onInt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, c => { c.Cancel = true; Volatile.Write(ref stop, true); });
using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
socket.Connect(target);
var sw = Stopwatch.StartNew();
var limit = TimeSpan.FromSeconds(seconds);
long sent = 0, failed = 0;
while (sw.Elapsed < limit && !Volatile.Read(ref stop))
{
    // Paced: send what the rate allows by now, in bursts of at most 64, then yield a millisecond.
    var due = rate > 0 ? (long)(rate * sw.Elapsed.TotalSeconds) - sent : 64;
    if (due <= 0)
    {
        Thread.Sleep(1);
        continue;
    }
    for (var k = 0; k < Math.Min(due, 64); k++)
    {
        try
        {
            socket.Send(pool[(int)(sent % Pool)]);
        }
        catch (SocketException)
        {
            failed++; // ECONNREFUSED after an ICMP port unreachable, ENOBUFS: counted, not fatal
        }
        sent++;
    }
}
var elapsed = sw.Elapsed.TotalSeconds;
Console.WriteLine($"flooder: {mode}: {sent} datagrams in {elapsed:0.00} s = {sent / elapsed:0} /s ({failed} send errors)");
return 0;
