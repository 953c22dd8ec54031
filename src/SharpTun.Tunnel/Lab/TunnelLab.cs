using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using SharpTun.Linux.Namespaces;
using SharpTun.Linux.Netlink;
using SharpTun.Netlink;

namespace SharpTun.Tunnel.Lab;

/// <summary>
/// The self-contained lab (TESTBED.md topology), built entirely over rtnetlink and setns:
/// <code>
///  ns A  tun0 198.19.0.1/24  (tunnel server)          ns B  tun0 198.19.0.2/24  (tunnel client)
///        wire0 198.18.0.1/24  &lt;──── veth ────&gt;  wire0 198.18.0.2/24
/// </code>
/// For each transport: both relays run in this process (device and sockets opened inside their
/// namespace), ping crosses the tunnel, iperf3 measures throughput, counters are collected, and
/// the tunnel is torn down. Everything — namespaces, veth, tun devices, child processes — is
/// removed on return, on failure and on cancellation.
/// </summary>
public sealed partial class TunnelLab : IDisposable
{
    /// <summary>The tunnel device name in each namespace.</summary>
    public const string Device = "tun0";

    /// <summary>The veth end's name in each namespace.</summary>
    public const string Wire = "wire0";

    private static readonly IpPrefix s_wireA = IpPrefix.Parse("198.18.0.1/24");
    private static readonly IpPrefix s_wireB = IpPrefix.Parse("198.18.0.2/24");
    private static readonly IpPrefix s_tunA = IpPrefix.Parse("198.19.0.1/24");
    private static readonly IpPrefix s_tunB = IpPrefix.Parse("198.19.0.2/24");

    private readonly TextWriter _out;
    private readonly List<string> _created = [];

    /// <summary>Creates the two namespaces and the wire between them; <paramref name="output"/> gets progress lines.</summary>
    public TunnelLab(TextWriter output, string? prefix = null)
    {
        _out = output;
        var tag = prefix ?? $"stlab{Environment.ProcessId:x}";
        NameSpaceA = tag + "a";
        NameSpaceB = tag + "b";
        try
        {
            foreach (var ns in new[] { NameSpaceA, NameSpaceB })
            {
                NetNamespace.Create(ns);
                _created.Add(ns);
                using var nl = RtNetlink.OpenInNamespace(ns);
                nl.LinkSetUp("lo");
            }
            using (var a = RtNetlink.OpenInNamespace(NameSpaceA))
            {
                a.AddVeth(Wire, Wire, NameSpaceB);
                DeviceSetup.Configure(a, Wire, [s_wireA], null);
            }
            using (var b = RtNetlink.OpenInNamespace(NameSpaceB))
            {
                DeviceSetup.Configure(b, Wire, [s_wireB], null);
            }
            _out.WriteLine($"lab: namespaces {NameSpaceA} and {NameSpaceB}, wire {s_wireA} <-> {s_wireB}");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Namespace A (tunnel server).</summary>
    public string NameSpaceA { get; }

    /// <summary>Namespace B (tunnel client).</summary>
    public string NameSpaceB { get; }

    /// <summary>Runs one tunnel over <paramref name="transport"/>: ping, iperf3 for <paramref name="seconds"/>, counters.</summary>
    public LabResult Measure(TransportKind transport, int seconds, int pings, CancellationToken cancellationToken)
    {
        var name = transport == TransportKind.Tcp ? "TCP" : "UDP";
        var port = 55555;
        // Over UDP each datagram adds 28 bytes (IPv4 + UDP): MTU 1472 avoids IP fragmentation on the 1500-byte wire.
        var mtu = transport == TransportKind.Udp ? 1472 : 1500;
        var log = new TunnelLog(new PrefixWriter(_out, $"  [{name}] "), debug: false);
        using var server = new LabEndpoint(NameSpaceA, Device, s_tunA, mtu,
            new TunnelSettings { IsServer = true, Port = port, Transport = transport }, log);
        using var client = new LabEndpoint(NameSpaceB, Device, s_tunB, mtu,
            new TunnelSettings { Server = s_wireA.Address.ToString(), Port = port, Transport = transport, Keepalive = TimeSpan.FromSeconds(1) }, log);
        _out.WriteLine($"lab: {name} tunnel up (tun MTU {mtu}): {NameSpaceA}/{Device} {s_tunA} (server) <-> {NameSpaceB}/{Device} {s_tunB} (client)");
        WaitForPeer(server, cancellationToken);

        using var ping = LabProcess.Start(NameSpaceB, "ping", "-c", pings.ToString(CultureInfo.InvariantCulture), "-i", "0.2", "-W", "2",
            s_tunA.Address.ToString());
        ping.Wait(TimeSpan.FromSeconds(pings + 10), cancellationToken);
        var received = ReceivedRegex().Match(ping.Output) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        double? rtt = RttRegex().Match(ping.Output) is { Success: true } r ? double.Parse(r.Groups[1].Value, CultureInfo.InvariantCulture) : null;
        _out.WriteLine($"lab: ping {s_tunA.Address} from {NameSpaceB}: {received}/{pings} replies{(rtt is null ? "" : $", rtt avg {rtt:0.000} ms")}");

        var (bps, note) = Iperf(seconds, cancellationToken);
        if (bps is not null)
        {
            _out.WriteLine($"lab: iperf3 {seconds} s through the {name} tunnel: {bps / 1e9:0.00} Gbit/s");
        }
        else
        {
            _out.WriteLine($"lab: iperf3 skipped: {note}");
        }
        if ((server.Failure ?? client.Failure) is { } failure)
        {
            throw new IOException($"lab relay failed: {failure.Message}", failure);
        }
        return new LabResult
        {
            Transport = transport,
            PingsSent = pings,
            PingsReceived = received,
            RttAverageMs = rtt,
            BitsPerSecond = bps,
            ThroughputNote = note,
            ServerCounters = server.Counters.Format(Device),
            ClientCounters = client.Counters.Format(Device),
        };
    }

    private static void WaitForPeer(LabEndpoint server, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (server.Relay.PeerName is null || server.Relay.PeerName.StartsWith('('))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the lab tunnel client did not reach the server within 15 s");
            }
            if (cancellationToken.WaitHandle.WaitOne(50))
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    private (double? Bps, string? Note) Iperf(int seconds, CancellationToken cancellationToken)
    {
        if (seconds <= 0)
        {
            return (null, "disabled");
        }
        LabProcess iperfServer;
        try
        {
            iperfServer = LabProcess.Start(NameSpaceA, "iperf3", "-s", "-1", "--forceflush", "-B", s_tunA.Address.ToString());
        }
        catch (IOException e)
        {
            return (null, e.Message);
        }
        using (iperfServer)
        {
            if (!iperfServer.WaitForOutput("Server listening", TimeSpan.FromSeconds(10), cancellationToken))
            {
                return (null, "iperf3 server did not start: " + iperfServer.Output.Trim());
            }
            using var iperfClient = LabProcess.Start(NameSpaceB, "iperf3", "-c", s_tunA.Address.ToString(), "-t",
                seconds.ToString(CultureInfo.InvariantCulture), "-J");
            var rc = iperfClient.Wait(TimeSpan.FromSeconds(seconds + 20), cancellationToken);
            if (rc != 0)
            {
                return (null, $"iperf3 failed (exit {rc})");
            }
            var output = iperfClient.Output;
            using var json = JsonDocument.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..]);
            return (json.RootElement.GetProperty("end").GetProperty("sum_received").GetProperty("bits_per_second").GetDouble(), null);
        }
    }

    /// <summary>Deletes the namespaces (with them the veth pair and any device left).</summary>
    public void Dispose()
    {
        foreach (var ns in _created)
        {
            try
            {
                NetNamespace.Delete(ns);
            }
            catch (Exception e) when (e is IOException or NetNamespaceException)
            {
                _out.WriteLine($"lab: cannot delete namespace {ns}: {e.Message}");
            }
        }
        if (_created.Count > 0)
        {
            _out.WriteLine($"lab: removed namespaces {string.Join(" and ", _created)}");
        }
        _created.Clear();
    }

    [GeneratedRegex(@"(\d+) received")]
    private static partial Regex ReceivedRegex();

    [GeneratedRegex(@"= [\d.]+/([\d.]+)/")]
    private static partial Regex RttRegex();
}
