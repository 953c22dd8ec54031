using System.Net;
using SharpTun.Netlink;
using SharpTun.Tunnel;

namespace SharpTun.Lab;

/// <summary>
/// The relay tunnel across the lab: a <see cref="TunnelHost"/> server in namespace A and a client in
/// B, each creating its tun device (198.19.0.1/24 and .2/24; MTU 1472 over UDP), both running in
/// this process on their own thread; then the probes, then both are stopped and their devices removed.
/// </summary>
internal sealed class RelayScenario : ILabScenario
{
    /// <summary>The tunnel device name in each namespace.</summary>
    public const string Device = "tun0";

    private static readonly IpPrefix s_tunA = IpPrefix.Parse("198.19.0.1/24");
    private static readonly IpPrefix s_tunB = IpPrefix.Parse("198.19.0.2/24");

    /// <summary>A scenario over <paramref name="transport"/>.</summary>
    public RelayScenario(TransportKind transport)
    {
        Transport = transport;
        Name = transport == TransportKind.Tcp ? "relay-tcp" : "relay-udp";
    }

    /// <summary>TCP or UDP.</summary>
    public TransportKind Transport { get; }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public LabResult Run(LabContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var t = context.Topology;
        void Log(TunnelEvent e) => context.Report(Name, e.Message);
        using var server = TunnelHost.Open(new TunnelSettings
        {
            Device = Device,
            Create = true,
            Addresses = [s_tunA],
            IsServer = true,
            Transport = Transport,
            NetworkNamespace = t.NamespaceA,
        }, Log);
        using var client = TunnelHost.Open(new TunnelSettings
        {
            Device = Device,
            Create = true,
            Addresses = [s_tunB],
            Server = t.WireA.Address.ToString(),
            Transport = Transport,
            Keepalive = TimeSpan.FromSeconds(1),
            NetworkNamespace = t.NamespaceB,
        }, Log);
        using var running = new RunningPair(server, client, Name);
        context.Report(Name, $"tunnel up (tun MTU {server.Mtu}): {t.NamespaceA}/{Device} {s_tunA} ({server.TransportDescription}) <-> {t.NamespaceB}/{Device} {s_tunB} ({client.TransportDescription})");
        running.WaitForPeer(TimeSpan.FromSeconds(15), cancellationToken);
        var ping = LabProbes.Ping(context, s_tunA.Address, cancellationToken);
        var throughput = LabProbes.Throughput(context, s_tunA.Address, cancellationToken);
        running.StopAndCheck();
        return new LabResult
        {
            Scenario = Name,
            Mtu = server.Mtu,
            Ping = ping,
            Throughput = throughput,
            Sides = [Side("server (ns A)", server.Counters), Side("client (ns B)", client.Counters)],
        };
    }

    private static LabSide Side(string role, TunnelCounters c) => new(role,
    [
        new("device to peer packets", c.DeviceToNetPackets),
        new("device to peer bytes", c.DeviceToNetBytes),
        new("peer to device packets", c.NetToDevicePackets),
        new("peer to device bytes", c.NetToDeviceBytes),
        new("connections", c.Connections),
        new("refused", c.RefusedPeers),
        new("protocol errors", c.ProtocolErrors),
        new("dropped no peer", c.DropNoPeer),
        new("dropped send failed", c.DropSendFailed),
        new("device write errors", c.DeviceWriteErrors),
        new("keepalives sent", c.KeepalivesSent),
        new("keepalives received", c.KeepalivesReceived),
    ]);

    // Both hosts running on their own threads; failures are kept and rethrown on stop.
    private sealed class RunningPair : IDisposable
    {
        private readonly TunnelHost _server;
        private readonly TunnelHost _client;
        private readonly Thread[] _threads;
        private readonly Exception?[] _failures = new Exception?[2];
        private bool _stopped;

        internal RunningPair(TunnelHost server, TunnelHost client, string name)
        {
            _server = server;
            _client = client;
            _threads = [Start(server, 0, name + " server"), Start(client, 1, name + " client")];
        }

        private Thread Start(TunnelHost host, int slot, string name)
        {
            var thread = new Thread(() =>
            {
                try
                {
                    host.Run(CancellationToken.None);
                }
                catch (Exception e)
                {
                    Volatile.Write(ref _failures[slot], e);
                }
            })
            { IsBackground = true, Name = name };
            thread.Start();
            return thread;
        }

        internal void WaitForPeer(TimeSpan timeout, CancellationToken cancellationToken)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (_server.PeerName is null || _client.PeerName is null)
            {
                if ((Volatile.Read(ref _failures[0]) ?? Volatile.Read(ref _failures[1])) is { } failure)
                {
                    throw new IOException($"lab tunnel failed: {failure.Message}", failure);
                }
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"the lab tunnel client did not reach the server within {timeout.TotalSeconds:0} s");
                }
                if (cancellationToken.WaitHandle.WaitOne(20))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
        }

        internal void StopAndCheck()
        {
            Stop();
            if ((Volatile.Read(ref _failures[0]) ?? Volatile.Read(ref _failures[1])) is { } failure)
            {
                throw new IOException($"lab tunnel failed: {failure.Message}", failure);
            }
        }

        private void Stop()
        {
            if (_stopped)
            {
                return;
            }
            _stopped = true;
            _server.Stop();
            _client.Stop();
            foreach (var t in _threads)
            {
                if (!t.Join(TimeSpan.FromSeconds(10)))
                {
                    throw new TimeoutException($"lab tunnel thread '{t.Name}' did not stop within 10 s");
                }
            }
        }

        public void Dispose() => Stop();
    }
}
