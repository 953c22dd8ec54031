using System.CommandLine;
using SharpTun.Linux.Tun;

namespace SharpTun.Cli.Commands;

/// <summary><c>sharptun read</c>: the tutorial's "tunclient" — attach to a device and report each packet read.</summary>
internal static class ReadCommand
{
    internal static Command Create()
    {
        var dev = new Option<string>("--interface", "-i") { Description = "device to attach to (created, non-persistent, if missing)", Required = true };
        var tap = new Option<bool>("--tap", "-a") { Description = "the device is a tap device (Ethernet frames)" };
        var pi = new Option<bool>("--pi") { Description = "attach with the 4-byte packet-information header" };
        var mq = new Option<bool>("--multi-queue") { Description = "attach as one more queue of a multi-queue device" };
        var count = new Option<int>("--count", "-c") { Description = "stop after this many packets (0 = until interrupted)" };
        var timeout = new Option<double>("--timeout", "-t") { Description = "stop after this many seconds (0 = no limit)" };
        var cmd = new Command("read", "Attach to a tun/tap device and print one line per packet read from it.")
        {
            dev, tap, pi, mq, count, timeout,
        };
        cmd.SetAction((r, ct) => CliRunner.RunAsync(async token =>
        {
            var n = r.GetValue(count);
            if (n < 0)
            {
                throw new ArgumentException($"invalid --count {n}: must be 0 or more");
            }
            var seconds = r.GetValue(timeout);
            using var device = TunDevice.Open(new TunOptions
            {
                Name = r.GetValue(dev),
                Mode = r.GetValue(tap) ? TunMode.Tap : TunMode.Tun,
                PacketInfo = r.GetValue(pi),
                MultiQueue = r.GetValue(mq),
            });
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(token);
            if (seconds > 0)
            {
                limit.CancelAfter(TimeSpan.FromSeconds(seconds));
            }
            var buffer = new byte[65536 + 4];
            var read = 0;
            try
            {
                while (n == 0 || read < n)
                {
                    var len = await device.ReadAsync(buffer, limit.Token).ConfigureAwait(false);
                    read++;
                    Console.Out.WriteLine($"Read {len} bytes from device {device.Name}");
                    Console.Out.Flush();
                }
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested && !token.IsCancellationRequested)
            {
                // --timeout elapsed: a normal end.
            }
            return CliRunner.Ok;
        }, ct));
        return cmd;
    }
}
