using System.Diagnostics;
using System.Globalization;
using System.Net;
using SharpTun.IO;
using SharpTun.Linux.Net;

namespace SharpTun.Bench;

/// <summary>
/// Loopback micro-benchmark of the bind's offloads (was SharpTun.Linux.Tests UdpBindOffloadBenchmark, an
/// env-gated skipped "test"). One sender thread sends batches of 44 datagrams of 1452 bytes (what
/// WireGuard makes of 64 KB) as fast as it can for 3 s; one receiver thread receives with 128
/// buffers of 64 KB (as the WireGuard pump does). Prints datagrams/s received and CPU seconds per
/// million datagrams of each thread (utime+stime from /proc/thread-self/stat; loopback delivery
/// runs in the sender's system time).
/// </summary>
internal static class UdpOffloadBench
{
    private const int Wire = 1452;
    private const int Batch = 44;

    internal static int Run()
    {
        Console.WriteLine($"{"send",-9} {"receive",-8} {"sent/s",12} {"received/s",12} {"Gbit/s",7} {"tx CPU s/M",11} {"rx CPU s/M",11} {"dgrams/send call",17} {"dgrams/recv call",17}");
        foreach (var (gso, gro) in new[] { (false, false), (true, false), (false, true), (true, true) })
        {
            Run(gso, gro, TimeSpan.FromSeconds(0.5)); // warm-up
            var r = Run(gso, gro, TimeSpan.FromSeconds(3));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(gso ? "GSO" : "sendmmsg"),-9} {(gro ? "GRO" : "plain"),-8} {r.Sent / r.Seconds,12:N0} {r.Received / r.Seconds,12:N0} {r.Received * Wire * 8 / r.Seconds / 1e9,7:0.00} " +
                $"{r.TxCpu / (r.Sent / 1e6),11:0.000} {r.RxCpu / (r.Received / 1e6),11:0.000} {r.Sent / (double)r.SendCalls,17:0.0} {r.Received / (double)r.ReceiveCalls,17:0.0}"));
        }
        return 0;
    }

    private static (long Sent, long Received, double Seconds, double TxCpu, double RxCpu, long SendCalls, long ReceiveCalls) Run(bool gso, bool gro, TimeSpan duration)
    {
        using var a = UdpBind.Open(new UdpBindOptions { Address = IPAddress.Loopback, Gso = gso });
        using var b = UdpBind.Open(new UdpBindOptions { Address = IPAddress.Loopback, Gro = gro, BatchSize = 128 });
        var tx = new byte[Batch * Wire];
        var datagrams = new Memory<byte>[Batch];
        for (var i = 0; i < Batch; i++)
        {
            datagrams[i] = tx.AsMemory(i * Wire, Wire);
        }
        var rx = new byte[128 * 65536];
        var buffers = new Memory<byte>[128];
        for (var i = 0; i < buffers.Length; i++)
        {
            buffers[i] = rx.AsMemory(i * 65536, 65536);
        }
        var sizes = new int[128];
        var endpoints = new DatagramEndpoint[128];
        long received = 0, sent = 0;
        double rxCpu = 0, txCpu = 0;
        var receiver = new Thread(() =>
        {
            var cpu = ThreadCpuSeconds();
            int n;
            while ((n = b.Receive(buffers, sizes, endpoints, 0)) > 0)
            {
                received += n;
            }
            rxCpu = ThreadCpuSeconds() - cpu;
        });
        receiver.Start();
        var to = new DatagramEndpoint(NetEndpoint.From(b.LocalEndPoint));
        var sender = new Thread(() =>
        {
            var cpu = ThreadCpuSeconds();
            var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < end)
            {
                if (a.Send(datagrams, 0, to) == 0)
                {
                    sent += Batch;
                }
            }
            txCpu = ThreadCpuSeconds() - cpu;
        });
        var start = Stopwatch.GetTimestamp();
        sender.Start();
        sender.Join();
        Thread.Sleep(100); // let the receiver drain what is queued
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds - 0.1;
        b.Shutdown();
        receiver.Join();
        return (sent, received, seconds, txCpu, rxCpu, a.SendCalls, b.ReceiveCalls);
    }

    // utime + stime of the calling thread, in seconds (fields 14 and 15 of /proc/thread-self/stat, in clock ticks of 1/100 s).
    private static double ThreadCpuSeconds()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }
}
