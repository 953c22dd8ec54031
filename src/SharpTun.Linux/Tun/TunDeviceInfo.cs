namespace SharpTun.Linux.Tun;

/// <summary>A process that holds a tun/tap device open.</summary>
public sealed record TunProcess(int Pid, string Name);

/// <summary>One tun/tap device of the current network namespace, as <c>ip tuntap show</c> reports it.</summary>
public sealed record TunDeviceInfo(string Name, TunMode Mode, TunFlags Flags, int? Owner, int? Group, IReadOnlyList<TunProcess> Processes)
{
    /// <summary>IFF_PERSIST is set.</summary>
    public bool Persistent => (Flags & TunFlags.Persist) != 0;

    /// <summary>Packet information is on (IFF_NO_PI is clear).</summary>
    public bool PacketInfo => (Flags & TunFlags.NoPi) == 0;

    /// <summary>IFF_MULTI_QUEUE is set.</summary>
    public bool MultiQueue => (Flags & TunFlags.MultiQueue) != 0;

    /// <summary>IFF_VNET_HDR is set.</summary>
    public bool VnetHdr => (Flags & TunFlags.VnetHdr) != 0;

    /// <summary>
    /// The flag words <c>ip tuntap show</c> prints, in its order: mode, pi, one_queue, multi_queue,
    /// vnet_hdr, persist, filter. iproute2 prints "filter" whenever IFF_NOFILTER is clear, and
    /// IFF_NOFILTER shares its value (0x1000) with IFF_NO_PI, so "filter" accompanies "pi"; it is
    /// kept here so scripts reading either tool see the same words.
    /// </summary>
    public IReadOnlyList<string> FlagWords()
    {
        var words = new List<string> { Mode == TunMode.Tap ? "tap" : "tun" };
        if (PacketInfo)
        {
            words.Add("pi");
        }
        if ((Flags & TunFlags.OneQueue) != 0)
        {
            words.Add("one_queue");
        }
        if (MultiQueue)
        {
            words.Add("multi_queue");
        }
        if (VnetHdr)
        {
            words.Add("vnet_hdr");
        }
        if (Persistent)
        {
            words.Add("persist");
        }
        if (PacketInfo)
        {
            words.Add("filter");
        }
        return words;
    }
}
