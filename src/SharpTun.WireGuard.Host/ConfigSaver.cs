using System.Net.Sockets;
using SharpTun.Netlink;

namespace SharpTun.WireGuard.Host;

/// <summary>
/// SaveConfig = true, as wg-quick's save_config: the file is rewritten at down from the running state. The
/// [Interface] keeps the file's wg-quick lines — Address (the addresses now on the device, without the
/// kernel's own IPv6 link-local ones), DNS, MTU (the device's MTU, when the file set one), Table,
/// SaveConfig, PreUp/PostUp/PreDown/PostDown — and SharpTun's TcpListenPort; the rest is <c>wg showconf</c>
/// of the running interface (ListenPort, FwMark, PrivateKey, every peer as it is now, each keeping its
/// TcpEndpoint from the file). Written mode 0600, atomically (a temporary file, fsync, rename).
/// </summary>
internal static class ConfigSaver
{
    /// <summary>The text to save. <paramref name="addresses"/>: the device's addresses now; <paramref name="linkMtu"/>: its MTU now.</summary>
    public static string Compose(HostConfig config, UapiDevice running, IEnumerable<AddressInfo> addresses, int? linkMtu)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Compose(config.Source?.Interface, TcpPeers(config.Source), running, addresses, linkMtu);
    }

    /// <summary>
    /// The file's peers that SaveConfig needs at down: those with a TcpEndpoint (which the running state does not
    /// know). What the host keeps of the parsed file instead of all its peers (issue 20).
    /// </summary>
    public static List<WireGuardPeerConfig> TcpPeers(WireGuardConfig? source) =>
        source?.Peers.Where(p => p.TcpEndpoint is not null).ToList() ?? [];

    /// <summary>
    /// The text to save from the file's [Interface] (<paramref name="source"/>; null: built in code) and its peers
    /// with a TcpEndpoint (<see cref="TcpPeers"/>).
    /// </summary>
    public static string Compose(WireGuardInterfaceConfig? source, IReadOnlyList<WireGuardPeerConfig> tcpPeers, UapiDevice running,
        IEnumerable<AddressInfo> addresses, int? linkMtu)
    {
        ArgumentNullException.ThrowIfNull(tcpPeers);
        ArgumentNullException.ThrowIfNull(running);
        ArgumentNullException.ThrowIfNull(addresses);
        var saved = WireGuardConfig.FromUapi(running);
        var i = saved.Interface;
        foreach (var a in addresses)
        {
            var ip = a.Family == AddressFamily.InterNetwork || a.Address is null ? a.Local : a.Address;
            var configured = source?.Addresses.Any(c => c.Address.Equals(ip)) ?? false;
            if (ip.AddressFamily == AddressFamily.InterNetworkV6 && ip.IsIPv6LinkLocal && !configured)
            {
                continue; // the kernel's own, not the user's
            }
            i.Addresses.Add(new InterfaceAddress(ip, a.PrefixLength));
        }
        if (source is not null)
        {
            i.DnsServers.AddRange(source.DnsServers);
            i.DnsSearch.AddRange(source.DnsSearch);
            i.Mtu = source.Mtu is not null ? linkMtu ?? source.Mtu : null;
            i.Table = source.Table;
            i.PreUp.AddRange(source.PreUp);
            i.PostUp.AddRange(source.PostUp);
            i.PreDown.AddRange(source.PreDown);
            i.PostDown.AddRange(source.PostDown);
            i.TcpListenPort = source.TcpListenPort;
            foreach (var p in saved.Peers)
            {
                p.TcpEndpoint = tcpPeers.FirstOrDefault(q => q.PublicKey.AsSpan().SequenceEqual(p.PublicKey))?.TcpEndpoint;
            }
        }
        i.SaveConfig = true;
        return saved.ToString();
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/>: PATH.tmp created 0600, flushed to disk, renamed over PATH.</summary>
    public static void Write(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(path);
        var tmp = path + ".tmp";
        try
        {
            using (var f = new FileStream(tmp, new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }))
            {
                // Create keeps an existing file's mode: make sure it is 0600 before anything secret is in it.
                File.SetUnixFileMode(f.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                var bytes = System.Text.Encoding.UTF8.GetBytes(text);
                f.Write(bytes);
                f.Flush(flushToDisk: true);
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
    }
}
