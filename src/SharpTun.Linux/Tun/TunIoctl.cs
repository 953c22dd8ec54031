namespace SharpTun.Linux.Tun;

/// <summary>
/// Request numbers of the TUN ioctls, from <c>linux/if_tun.h</c>: <c>_IOW('T', nr, int)</c> is
/// <c>0x40045400 | nr</c> and <c>_IOR('T', nr, unsigned int)</c> is <c>0x80045400 | nr</c>.
/// </summary>
internal static class TunIoctl
{
    internal const uint TUNSETIFF = 0x400454ca;        // _IOW('T', 202, int)
    internal const uint TUNSETPERSIST = 0x400454cb;    // _IOW('T', 203, int)
    internal const uint TUNSETOWNER = 0x400454cc;      // _IOW('T', 204, int)
    internal const uint TUNSETGROUP = 0x400454ce;      // _IOW('T', 206, int)
    internal const uint TUNGETFEATURES = 0x800454cf;   // _IOR('T', 207, unsigned int)
    internal const uint TUNSETOFFLOAD = 0x400454d0;    // _IOW('T', 208, unsigned int)
    internal const uint TUNGETIFF = 0x800454d2;        // _IOR('T', 210, unsigned int)
    internal const uint TUNGETVNETHDRSZ = 0x800454d7;  // _IOR('T', 215, int)
    internal const uint TUNSETVNETHDRSZ = 0x400454d8;  // _IOW('T', 216, int)
    internal const uint TUNSETQUEUE = 0x400454d9;      // _IOW('T', 217, int)

    // TUNSETOFFLOAD bits (TUN_F_*).
    internal const uint TUN_F_CSUM = 0x01;
    internal const uint TUN_F_TSO4 = 0x02;
    internal const uint TUN_F_TSO6 = 0x04;
    internal const uint TUN_F_USO4 = 0x20;
    internal const uint TUN_F_USO6 = 0x40;

    /// <summary>The flag bits TUNSETIFF accepts and TUNGETFEATURES reports (TUN_FEATURES in drivers/net/tun.c, plus the mode bits).</summary>
    internal const TunFlags SettableMask = TunFlags.Tun | TunFlags.Tap | TunFlags.NoPi | TunFlags.OneQueue | TunFlags.VnetHdr
        | TunFlags.MultiQueue | TunFlags.TunExcl | TunFlags.Napi | TunFlags.NapiFrags | TunFlags.NoCarrier;
}
