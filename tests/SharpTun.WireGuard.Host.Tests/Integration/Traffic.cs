using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using SharpTun.Linux.Namespaces;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>Traffic through a tunnel judged by real tools (ping, iperf3) and by a SHA-256-checked TCP stream.</summary>
internal static partial class Traffic
{
    /// <summary>
    /// <c>ping -c COUNT -i 0.2 -w DEADLINE</c> from <paramref name="from"/>; throws unless all replies came. Returns the average RTT in ms.
    /// With -w ping keeps sending until COUNT replies arrived, so a first packet lost to a handshake in flight costs 0.2 s, not a failure.
    /// </summary>
    internal static double Ping(LabHost from, string to, int count = 3, int deadlineSeconds = 20, string? source = null)
    {
        var r = PingRaw(from, to, count, deadlineSeconds, source);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"ping from {from.Name} to {to} failed:\n{r}");
        }
        return AverageRtt(r.StdOut);
    }

    internal static ProcessResult PingRaw(LabHost from, string to, int count, int deadlineSeconds, string? source = null)
    {
        List<string> args = ["-n", "-q", "-c", count.ToString(CultureInfo.InvariantCulture), "-i", "0.2", "-w", deadlineSeconds.ToString(CultureInfo.InvariantCulture)];
        if (source is not null)
        {
            args.AddRange(["-I", source]);
        }
        args.Add(to);
        return from.Ns.Exec("ping", args, TimeSpan.FromSeconds(deadlineSeconds + 30));
    }

    internal static double AverageRtt(string pingOutput)
    {
        var m = RttLine().Match(pingOutput);
        return m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new FormatException("no rtt line in ping output:\n" + pingOutput);
    }

    /// <summary>Number of echo replies ping reported ("N received").</summary>
    internal static int Received(string pingOutput)
    {
        var m = ReceivedLine().Match(pingOutput);
        return m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new FormatException("no statistics line in ping output:\n" + pingOutput);
    }

    /// <summary>iperf3 for <paramref name="seconds"/> s from <paramref name="client"/> to a one-off server on <paramref name="server"/> at <paramref name="address"/>; returns the received Gbit/s.</summary>
    internal static double Iperf3(LabHost server, LabHost client, string address, int seconds = 5, bool reverse = false)
    {
        using var srv = Daemon.StartIn(server.Name, "iperf3", ["-s", "-1", "--forceflush", "-B", address, "-p", "5201"]);
        srv.WaitForOutput("Server listening", TimeSpan.FromSeconds(30));
        List<string> args = ["-c", address, "-p", "5201", "-t", seconds.ToString(CultureInfo.InvariantCulture), "-J", "--connect-timeout", "10000"];
        if (reverse)
        {
            args.Add("-R");
        }
        var r = client.Ns.Exec("iperf3", args, TimeSpan.FromSeconds(seconds + 60));
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"iperf3 from {client.Name} to {address} failed:\n{r}\n--- server\n{srv.Output}");
        }
        using var doc = JsonDocument.Parse(r.StdOut);
        var bps = doc.RootElement.GetProperty("end").GetProperty("sum_received").GetProperty("bits_per_second").GetDouble();
        return bps / 1e9;
    }

    /// <summary>
    /// Sends <paramref name="bytes"/> seeded-random bytes over TCP from <paramref name="from"/> to <paramref name="to"/>
    /// at <paramref name="address"/> and returns (sent SHA-256, received SHA-256, received length, seconds).
    /// </summary>
    internal static (string Sent, string Received, long Length, double Seconds) TcpTransfer(LabHost from, LabHost to, string address, long bytes, int seed)
    {
        var ip = IPAddress.Parse(address);
        using var listener = NetNamespace.Run(to.Name, () =>
        {
            var l = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            l.Bind(new IPEndPoint(ip, 0));
            l.Listen(1);
            return l;
        });
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var receiver = Task.Run(() =>
        {
            using var s = listener.Accept();
            s.ReceiveTimeout = 60_000;
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buf = new byte[256 * 1024];
            long total = 0;
            int n;
            while ((n = s.Receive(buf)) > 0)
            {
                sha.AppendData(buf, 0, n);
                total += n;
            }
            return (Convert.ToHexStringLower(sha.GetHashAndReset()), total);
        });
        var sw = System.Diagnostics.Stopwatch.StartNew();
        string sent;
        using (var c = NetNamespace.Run(from.Name, () => new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp)))
        {
            c.SendTimeout = 60_000;
            var connect = c.ConnectAsync(new IPEndPoint(ip, port));
            if (!connect.Wait(TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException($"TCP connect from {from.Name} to {address}:{port} through the tunnel did not complete in 30 s");
            }
            var rng = new Random(seed);
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var chunk = new byte[256 * 1024];
            for (long left = bytes; left > 0;)
            {
                var n = (int)Math.Min(chunk.Length, left);
                rng.NextBytes(chunk.AsSpan(0, n));
                sha.AppendData(chunk, 0, n);
                for (var off = 0; off < n;)
                {
                    off += c.Send(chunk, off, n - off, SocketFlags.None);
                }
                left -= n;
            }
            c.Shutdown(SocketShutdown.Send);
            sent = Convert.ToHexStringLower(sha.GetHashAndReset());
            if (!receiver.Wait(TimeSpan.FromSeconds(120)))
            {
                throw new TimeoutException($"receiver on {to.Name} did not see the end of the {bytes}-byte stream within 120 s");
            }
        }
        var (got, length) = receiver.Result;
        return (sent, got, length, sw.Elapsed.TotalSeconds);
    }

    [GeneratedRegex(@"(?:rtt|round-trip) min/avg/max/mdev = [0-9.]+/([0-9.]+)/")]
    private static partial Regex RttLine();

    [GeneratedRegex(@"(\d+) (?:packets )?received")]
    private static partial Regex ReceivedLine();
}
