using SharpTun.Netlink;

namespace SharpTun.WireGuard.Host;

/// <summary>A whole wg-quick configuration ([Interface] and its peers), as the host applies it at up.</summary>
public sealed partial record HostConfig
{
    /// <summary>The interface name (wg-quick: the file name without .conf).</summary>
    public required string Name { get; init; }

    /// <summary>PrivateKey (32 bytes).</summary>
    public required byte[] PrivateKey { get; init; }

    /// <summary>ListenPort; 0 = a free port chosen by the kernel.</summary>
    public ushort ListenPort { get; init; }

    /// <summary>TcpListenPort (SharpTun extension): also accept the encrypted TCP fallback on this port; 0 = off.</summary>
    public ushort TcpListenPort { get; init; }

    /// <summary>FwMark; 0 = none.</summary>
    public uint FwMark { get; init; }

    /// <summary>Address lines.</summary>
    public IReadOnlyList<IpPrefix> Addresses { get; init; } = [];

    /// <summary>MTU; null = <see cref="NetworkSetup.DefaultMtu"/>.</summary>
    public int? Mtu { get; init; }

    /// <summary>
    /// Table: null/"auto" = main, and a default route (a /0 in AllowedIPs) through wg-quick's fwmark table and
    /// rules (<see cref="FullTunnel"/>); "off" = no routes; or a table id (names are resolved by <see cref="FromConfig"/>).
    /// </summary>
    public string? Table { get; init; }

    /// <summary>DNS servers and search domains, as written.</summary>
    public IReadOnlyList<string> Dns { get; init; } = [];

    /// <summary>PreUp commands (run with /bin/sh, %i = interface name).</summary>
    public IReadOnlyList<string> PreUp { get; init; } = [];

    /// <summary>PostUp commands.</summary>
    public IReadOnlyList<string> PostUp { get; init; } = [];

    /// <summary>PreDown commands.</summary>
    public IReadOnlyList<string> PreDown { get; init; } = [];

    /// <summary>PostDown commands.</summary>
    public IReadOnlyList<string> PostDown { get; init; } = [];

    /// <summary>SaveConfig: at down, write the running state back to <see cref="ConfigPath"/> as wg-quick's save_config does.</summary>
    public bool SaveConfig { get; init; }

    /// <summary>The config file (what SaveConfig rewrites); null = none.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>The parsed file this came from (its [Interface] lines are kept by SaveConfig); null when built in code.</summary>
    public WireGuardConfig? Source { get; init; }

    /// <summary>Where this configuration was read (a file name, for messages); null when built in code.</summary>
    public string? Origin { get; init; }

    /// <summary>The peers.</summary>
    public IReadOnlyList<HostPeerConfig> Peers { get; init; } = [];

    /// <summary>
    /// Open the tun device with a virtio-net header and checksum/TSO/USO offloads (on by default): the
    /// kernel hands over 64 KB super-packets and takes coalesced ones back, which is most of the
    /// throughput. Off gives one read and one write per wire-sized packet.
    /// </summary>
    public bool TunOffloads { get; init; } = true;

    /// <summary>
    /// What a host keeps once its interface is up (issue 20): this without <see cref="Peers"/> and <see cref="Source"/>.
    /// The peers then live in the interface (<see cref="WireGuardInterface.Snapshot"/>, UAPI); a 100,000-peer file
    /// is not held a second and third time for the life of the process.
    /// </summary>
    internal HostConfig WithoutPeers() => this with { Peers = [], Source = null };

    /// <summary>Data-plane threads per direction (<see cref="WireGuardInterface.Workers"/>); null (the default): <see cref="WireGuardInterface.DefaultWorkers"/> (one per core; 1 on two cores or fewer; SHARPTUN_WORKERS).</summary>
    public int? Workers { get; init; }
}
