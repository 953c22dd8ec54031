using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SharpTun.Linux.Namespaces;

namespace SharpTun.Lab;

/// <summary>
/// SharpTun's own throughput probe, for machines without iperf3: one TCP connection from namespace
/// B to a listener in namespace A (both sockets opened inside their namespace), the sender writing
/// for a fixed time (bounded also in bytes), the receiver timing from its first byte to the end.
/// </summary>
internal static class BulkTransfer
{
    /// <summary>The port the receiver listens on (inside namespace A only).</summary>
    public const int Port = 5399;

    // Upper bound on what one run sends, whatever the speed: 8 GiB.
    private const long MaxBytes = 8L << 30;

    /// <summary>Sends from <paramref name="senderNamespace"/> to <paramref name="receiver"/> (an address in <paramref name="receiverNamespace"/>) for <paramref name="duration"/>.</summary>
    public static ThroughputResult Run(string receiverNamespace, IPAddress receiver, string senderNamespace, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        using var listener = NetNamespace.Run(receiverNamespace, () =>
        {
            var s = new Socket(receiver.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            s.Bind(new IPEndPoint(receiver, Port));
            s.Listen(1);
            return s;
        });
        using var client = NetNamespace.Run(senderNamespace, () => new Socket(receiver.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
        using var cancel = cancellationToken.Register(() =>
        {
            listener.Dispose();
            client.Dispose();
        });
        long received = 0;
        double seconds = 0;
        Exception? receiveFailure = null;
        var receiverThread = new Thread(() =>
        {
            try
            {
                using var conn = listener.Accept();
                conn.ReceiveTimeout = (int)(duration + TimeSpan.FromSeconds(10)).TotalMilliseconds;
                var buffer = new byte[256 * 1024];
                var n = conn.Receive(buffer);
                var started = Stopwatch.GetTimestamp();
                while (n > 0)
                {
                    received += n;
                    n = conn.Receive(buffer);
                }
                seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                receiveFailure = e;
            }
        })
        { IsBackground = true, Name = "lab bulk receiver" };
        receiverThread.Start();
        try
        {
            client.SendTimeout = 10_000;
            client.Connect(new IPEndPoint(receiver, Port));
            var chunk = new byte[128 * 1024];
            Random.Shared.NextBytes(chunk);
            var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            long sent = 0;
            while (Stopwatch.GetTimestamp() < end && sent < MaxBytes)
            {
                sent += client.Send(chunk);
            }
            client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            receiverThread.Join(TimeSpan.FromSeconds(15));
            return new ThroughputResult(ThroughputTool.None, null, received, $"built-in transfer failed: {Words(e)}");
        }
        if (!receiverThread.Join(duration + TimeSpan.FromSeconds(15)))
        {
            return new ThroughputResult(ThroughputTool.None, null, received, "built-in transfer: the receiver did not finish");
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (receiveFailure is not null || seconds <= 0)
        {
            return new ThroughputResult(ThroughputTool.None, null, received, $"built-in transfer failed: {(receiveFailure is null ? "nothing received" : Words(receiveFailure))}");
        }
        return new ThroughputResult(ThroughputTool.BuiltIn, received * 8 / seconds, received);
    }

    private static string Words(Exception e) => e is SocketException s ? s.SocketErrorCode.ToString().ToLowerInvariant() : "cancelled";
}
