using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SharpTun.Linux.Namespaces;
using SharpTun.Packets;

namespace SharpTun.Lab;

/// <summary>
/// SharpTun's own ping: ICMP echo requests from a raw ICMP socket opened inside a namespace (the
/// socket stays in the namespace it was created in), replies matched by identifier, sequence and
/// source, round trips timed with a monotonic clock. Needs root (CAP_NET_RAW); no ping binary.
/// </summary>
public static class IcmpProbe
{
    private const int PayloadSize = 56;
    private const int IcmpEchoRequest = 8;
    private const int IcmpEchoReply = 0;

    /// <summary>Sends <paramref name="count"/> echo requests to <paramref name="target"/> from namespace <paramref name="nameSpace"/>, one per <paramref name="interval"/>, each waiting at most <paramref name="timeout"/>.</summary>
    public static PingResult Ping(string nameSpace, IPAddress target, int count, TimeSpan interval, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException("the ICMP probe speaks IPv4", nameof(target));
        }
        using var socket = NetNamespace.Run(nameSpace, () => new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Icmp));
        var id = (ushort)Random.Shared.Next(1, 65536);
        var request = new byte[8 + PayloadSize];
        var reply = new byte[1500];
        var destination = new IPEndPoint(target, 0);
        var rtts = new List<double>();
        for (var seq = 1; seq <= count; seq++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var started = Stopwatch.GetTimestamp();
            Build(request, id, (ushort)seq);
            socket.SendTo(request, destination);
            var deadline = started + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
            if (WaitReply(socket, reply, target, id, (ushort)seq, deadline))
            {
                rtts.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            var rest = interval - Stopwatch.GetElapsedTime(started);
            if (seq < count && rest > TimeSpan.Zero && cancellationToken.WaitHandle.WaitOne(rest))
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        return rtts.Count == 0
            ? new PingResult(count, 0, null, null, null)
            : new PingResult(count, rtts.Count, rtts.Average(), rtts.Min(), rtts.Max());
    }

    private static void Build(byte[] p, ushort id, ushort seq)
    {
        Array.Clear(p);
        p[0] = IcmpEchoRequest;
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(4), id);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(6), seq);
        for (var i = 8; i < p.Length; i++)
        {
            p[i] = (byte)i;
        }
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), Checksum.Compute(p));
    }

    // A raw IPv4 ICMP socket delivers every ICMP packet with its IP header; skip the ones that are not ours.
    private static bool WaitReply(Socket socket, byte[] buffer, IPAddress target, ushort id, ushort seq, long deadline)
    {
        Span<byte> from = stackalloc byte[4];
        target.TryWriteBytes(from, out _);
        while (true)
        {
            var left = deadline - Stopwatch.GetTimestamp();
            if (left <= 0 || !socket.Poll((int)Math.Max(1, left * 1_000_000 / Stopwatch.Frequency), SelectMode.SelectRead))
            {
                return false;
            }
            var n = socket.Receive(buffer);
            if (n < 20)
            {
                continue;
            }
            var ihl = (buffer[0] & 0x0F) * 4;
            if (n < ihl + 8 || !buffer.AsSpan(12, 4).SequenceEqual(from))
            {
                continue;
            }
            var icmp = buffer.AsSpan(ihl, n - ihl);
            if (icmp[0] == IcmpEchoReply && BinaryPrimitives.ReadUInt16BigEndian(icmp[4..]) == id && BinaryPrimitives.ReadUInt16BigEndian(icmp[6..]) == seq)
            {
                return true;
            }
        }
    }
}
