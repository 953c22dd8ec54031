namespace SharpTun.Netlink;

/// <summary>Lower-case strerror texts for the errno values netlink replies carry (Linux numbering).</summary>
public static class ErrnoText
{
    /// <summary>The reason for <paramref name="errno"/> (positive), e.g. 19 → "no such device".</summary>
    public static string Describe(int errno) => errno switch
    {
        1 => "operation not permitted (needs CAP_NET_ADMIN; run as root)",
        2 => "no such file or directory",
        3 => "no such process",
        6 => "no such device or address",
        12 => "cannot allocate memory",
        13 => "permission denied",
        16 => "device or resource busy",
        17 => "file exists",
        19 => "no such device",
        22 => "invalid argument",
        34 => "numerical result out of range",
        61 => "no data available",
        93 => "protocol not supported",
        95 => "operation not supported",
        97 => "address family not supported by protocol",
        99 => "cannot assign requested address",
        100 => "network is down",
        101 => "network is unreachable",
        105 => "no buffer space available",
        113 => "no route to host",
        _ => $"errno {errno}",
    };
}
