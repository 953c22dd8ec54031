using System.Net;
using System.Net.Sockets;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// What the kernel knows about the path MTU to a peer's address: a UDP socket connected to it
/// (nothing sent) reads IP_MTU / IPV6_MTU — the route's MTU lowered by any ICMP "fragmentation
/// needed" / "packet too big" seen for that address, whether it answered the tunnel's own datagrams
/// or our probe. The probe is one don't-fragment datagram of the tunnel's full outer size to the
/// peer's discard port (9): a router that cannot forward it says so, the peer's host at most answers
/// "port unreachable"; its content never reaches WireGuard.
/// </summary>
internal static class PathMtuProbe
{
    private const int DiscardPort = 9;

    /// <summary>How long the probe's socket stays open for the ICMP answer (the kernel learns the MTU only while a socket can take the error).</summary>
    private static readonly TimeSpan s_icmpWait = TimeSpan.FromMilliseconds(300);

    /// <summary>IPv4 header + UDP header; IPv6 header + UDP header.</summary>
    internal static int IpUdpOverhead(bool ipv6) => ipv6 ? 48 : 28;

    /// <summary>
    /// The path MTU to <paramref name="remote"/>'s address (0 when unknown), after a probe of
    /// <paramref name="probeSize"/> bytes of IP packet (0 = no probe). Sockets carry <paramref name="fwmark"/>.
    /// </summary>
    internal static async Task<int> CheckAsync(NetEndpoint remote, uint fwmark, int probeSize)
    {
        try
        {
            var address = remote.ToIPEndPoint().Address;
            if (probeSize > 0)
            {
                using var probe = Open(remote, fwmark, address);
                var payload = probeSize - IpUdpOverhead(remote.IsIPv6);
                if (payload > 0 && payload <= 65507)
                {
                    // EMSGSIZE: the kernel already knows a smaller path MTU (read below). Other errors: read anyway.
                    probe.Send(new byte[payload], SocketFlags.None, out _);
                    await Task.Delay(s_icmpWait).ConfigureAwait(false);
                }
            }
            using var reader = Open(remote, fwmark, address);
            Span<byte> value = stackalloc byte[4];
            var n = remote.IsIPv6
                ? reader.GetRawSocketOption(OuterSocketOptions.SolIpv6, OuterSocketOptions.Ipv6Mtu, value)
                : reader.GetRawSocketOption(OuterSocketOptions.SolIp, OuterSocketOptions.IpMtu, value);
            return n == 4 ? BitConverter.ToInt32(value) : 0;
        }
        catch (SocketException)
        {
            return 0; // no route to it now: unknown
        }
    }

    private static Socket Open(NetEndpoint remote, uint fwmark, IPAddress address)
    {
        var s = new Socket(remote.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            Span<byte> v = stackalloc byte[4];
            if (fwmark != 0)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(v, fwmark);
                s.SetRawSocketOption(OuterSocketOptions.SolSocket, OuterSocketOptions.SoMark, v);
            }
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(v, OuterSocketOptions.PmtuDiscoverDo);
            if (remote.IsIPv6)
            {
                s.SetRawSocketOption(OuterSocketOptions.SolIpv6, OuterSocketOptions.Ipv6MtuDiscover, v);
            }
            else
            {
                s.SetRawSocketOption(OuterSocketOptions.SolIp, OuterSocketOptions.IpMtuDiscover, v);
            }
            s.Connect(new IPEndPoint(address, DiscardPort));
            return s;
        }
        catch
        {
            s.Dispose();
            throw;
        }
    }
}
