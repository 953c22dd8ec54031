using System.Net.Sockets;
using SharpTun.Linux.Namespaces;
using SharpTun.Linux.Netlink;
using SharpTun.Linux.Tun;
using SharpTun.Netlink;

namespace SharpTun.Tunnel.Lab;

/// <summary>One side of the lab tunnel: a tun device opened and configured inside its namespace, and a relay on its own thread.</summary>
internal sealed class LabEndpoint : IDisposable
{
    private readonly TunDevice _device;
    private readonly ITransport _transport;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private Exception? _failure;

    public LabEndpoint(string nameSpace, string deviceName, IpPrefix address, int mtu, TunnelSettings settings, TunnelLog log)
    {
        NameSpace = nameSpace;
        _device = NetNamespace.Run(nameSpace, () => TunDevice.Open(new TunOptions { Name = deviceName, Mode = TunMode.Tun, Exclusive = true }));
        try
        {
            using (var netlink = RtNetlink.OpenInNamespace(nameSpace))
            {
                DeviceSetup.Configure(netlink, _device.Name, [address], mtu);
            }
            var packets = new TunPacketDevice(_device, mtu);
            var buffers = new RelayBuffers(packets.MaxPacketSize);
            SocketFactory sockets = (f, t, p) => NetNamespace.Run(nameSpace, () => new Socket(f, t, p));
            _transport = settings.CreateTransport(packets, buffers, Counters, log, sockets);
            var relay = new Relay(packets, _transport, Counters, log);
            Relay = relay;
            _thread = new Thread(() =>
            {
                try
                {
                    relay.Run(_stop.Token);
                }
                catch (Exception e)
                {
                    _failure = e;
                }
            })
            { IsBackground = true, Name = $"lab relay {nameSpace}" };
            _thread.Start();
        }
        catch
        {
            _device.Dispose();
            throw;
        }
    }

    public string NameSpace { get; }

    public Relay Relay { get; }

    public TunnelCounters Counters { get; } = new();

    public Exception? Failure => _failure;

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join(5000);
        _transport.Dispose();
        _device.Dispose();
        _stop.Dispose();
    }
}
