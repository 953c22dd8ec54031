namespace SharpTun.Linux.Tun;

/// <summary>What TUNGETFEATURES reports: the TUNSETIFF flags the running kernel accepts.</summary>
public readonly record struct TunFeatures(TunFlags Flags)
{
    /// <summary>The kernel can create tun devices.</summary>
    public bool Tun => (Flags & TunFlags.Tun) != 0;
    /// <summary>The kernel can create tap devices.</summary>
    public bool Tap => (Flags & TunFlags.Tap) != 0;
    /// <summary>IFF_NO_PI is supported.</summary>
    public bool NoPacketInfo => (Flags & TunFlags.NoPi) != 0;
    /// <summary>IFF_MULTI_QUEUE is supported.</summary>
    public bool MultiQueue => (Flags & TunFlags.MultiQueue) != 0;
    /// <summary>IFF_VNET_HDR is supported.</summary>
    public bool VnetHdr => (Flags & TunFlags.VnetHdr) != 0;
    /// <summary>IFF_NAPI is supported.</summary>
    public bool Napi => (Flags & TunFlags.Napi) != 0;

    /// <summary>The flag names as <c>ip tuntap</c> would spell them, lower case: <c>tun tap no_pi one_queue vnet_hdr multi_queue …</c>.</summary>
    public IReadOnlyList<string> Names() => TunFlagNames.Describe(Flags);

    /// <inheritdoc/>
    public override string ToString() => string.Join(' ', Names());
}
