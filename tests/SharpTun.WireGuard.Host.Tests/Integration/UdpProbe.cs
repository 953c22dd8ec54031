using System.Net;
using System.Net.Sockets;
using SharpTun.Linux.Namespaces;

namespace SharpTun.WireGuard.Host.Tests.Integration;

/// <summary>A UDP socket opened inside a lab host (it stays in that namespace): to send crafted datagrams and count what comes back.</summary>
internal sealed class UdpProbe : IDisposable
{
    private readonly Socket _socket;
    private long _receivedDatagrams;
    private long _receivedBytes;
    private readonly List<byte[]> _received = [];
    private readonly Thread _reader;
    private volatile bool _stop;

    internal UdpProbe(LabHost host, string localAddress, int localPort = 0)
    {
        var ip = IPAddress.Parse(localAddress);
        _socket = NetNamespace.Run(host.Name, () =>
        {
            var s = new Socket(ip.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(ip, localPort));
            return s;
        });
        _socket.ReceiveTimeout = 200;
        _socket.ReceiveBufferSize = 4 << 20;
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "udp-probe" };
        _reader.Start();
    }

    internal IPEndPoint Local => (IPEndPoint)_socket.LocalEndPoint!;

    internal long ReceivedDatagrams => Interlocked.Read(ref _receivedDatagrams);
    internal long ReceivedBytes => Interlocked.Read(ref _receivedBytes);

    /// <summary>Copies of the datagrams received so far.</summary>
    internal List<byte[]> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    internal void Send(ReadOnlySpan<byte> datagram, IPEndPoint to)
    {
        // A full socket buffer (ENOBUFS) on a loaded machine is retried, so the count sent is exact.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                _socket.SendTo(datagram, SocketFlags.None, to);
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.NoBufferSpaceAvailable && attempt < 1000)
            {
                Thread.Yield();
            }
        }
    }

    private void ReadLoop()
    {
        var buf = new byte[65536];
        EndPoint from = new IPEndPoint(Local.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_stop)
        {
            try
            {
                var n = _socket.ReceiveFrom(buf, ref from);
                Interlocked.Increment(ref _receivedDatagrams);
                Interlocked.Add(ref _receivedBytes, n);
                lock (_received)
                {
                    if (_received.Count < 100_000)
                    {
                        _received.Add(buf.AsSpan(0, n).ToArray());
                    }
                }
            }
            catch (SocketException)
            {
                // timeout (poll _stop) or ICMP-reported error: keep reading
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        _stop = true;
        _reader.Join(2000);
        _socket.Dispose();
    }
}
