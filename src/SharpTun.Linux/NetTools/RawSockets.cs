using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using SharpTun.Linux.Namespaces;
using SharpTun.Linux.Netlink;
using SharpTun.Netlink;

namespace SharpTun.Linux.NetTools;

/// <summary>
/// Raw IP sockets (netstat -w): over sock_diag (raw_diag) when the kernel has it; a kernel without the raw_diag
/// module answers ENOENT, and then the namespace's /proc/net/raw and raw6 are read instead, as netstat does.
/// </summary>
public static class RawSockets
{
    /// <summary>Every raw IPv4 and IPv6 socket of network namespace <paramref name="netns"/> (null: the caller's), without owning processes.</summary>
    /// <exception cref="NetNamespaceException">The namespace cannot be entered.</exception>
    /// <exception cref="NetlinkException">sock_diag failed for another reason than a missing raw_diag.</exception>
    public static IReadOnlyList<SocketInfo> List(string? netns)
    {
        try
        {
            return SocketList.List(new SocketQuery { Raw = true, All = true }, processes: false, netns);
        }
        catch (NetlinkException e) when (e.Errno is Errno.ENOENT or Errno.EOPNOTSUPP or Errno.EINVAL)
        {
            static string Load(string file)
            {
                try
                {
                    return File.ReadAllText("/proc/thread-self/net/" + file);
                }
                catch (FileNotFoundException)
                {
                    return "";
                }
            }
            var (v4, v6) = netns is null ? (Load("raw"), Load("raw6")) : NetNamespace.Run(netns, () => (Load("raw"), Load("raw6")));
            return [.. Parse(v4), .. Parse(v6)];
        }
    }

    /// <summary>
    /// Parses /proc/net/raw or raw6: "sl local_address rem_address st tx_queue rx_queue tr tm->when retrnsmt uid timeout inode …";
    /// addresses are the in-memory words printed as host-order hex (%08X per 32 bits), the "port" the IP protocol.
    /// </summary>
    internal static IEnumerable<SocketInfo> Parse(string text)
    {
        foreach (var line in text.Split('\n').Skip(1))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 10 || !f[0].EndsWith(':'))
            {
                continue;
            }
            var (local, localPort) = Endpoint(f[1]);
            var (peer, peerPort) = Endpoint(f[2]);
            var queues = f[4].Split(':');
            yield return new SocketInfo
            {
                NetId = "raw",
                LocalAddress = local,
                LocalPort = localPort,
                PeerAddress = peer,
                PeerPort = peerPort,
                State = (SocketState)byte.Parse(f[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                SendQueue = uint.Parse(queues[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                ReceiveQueue = uint.Parse(queues[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                Uid = uint.Parse(f[7], NumberStyles.None, CultureInfo.InvariantCulture),
                Inode = ulong.Parse(f[9], NumberStyles.None, CultureInfo.InvariantCulture),
            };
        }
    }

    private static (IPAddress Address, int Port) Endpoint(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var hex = text[..colon];
        var bytes = new byte[hex.Length / 2];
        for (var i = 0; i < hex.Length; i += 8)
        {
            // Each 32-bit word was printed as a host-order (little-endian) number.
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i / 2), uint.Parse(hex.AsSpan(i, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        }
        return (new IPAddress(bytes), int.Parse(text.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }
}
