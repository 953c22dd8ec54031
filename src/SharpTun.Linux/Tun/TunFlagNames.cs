namespace SharpTun.Linux.Tun;

/// <summary>Flag spellings shared by listings and feature reports.</summary>
internal static class TunFlagNames
{
    private static readonly (TunFlags Flag, string Name)[] s_names =
    [
        (TunFlags.Tun, "tun"),
        (TunFlags.Tap, "tap"),
        (TunFlags.NoPi, "no_pi"),
        (TunFlags.OneQueue, "one_queue"),
        (TunFlags.VnetHdr, "vnet_hdr"),
        (TunFlags.MultiQueue, "multi_queue"),
        (TunFlags.Persist, "persist"),
        (TunFlags.TunExcl, "tun_excl"),
        (TunFlags.Napi, "napi"),
        (TunFlags.NapiFrags, "napi_frags"),
        (TunFlags.NoCarrier, "no_carrier"),
    ];

    /// <summary>The names of the set bits, in a fixed order; unknown bits as <c>0x…</c>.</summary>
    public static IReadOnlyList<string> Describe(TunFlags flags)
    {
        var list = new List<string>();
        var rest = flags;
        foreach (var (flag, name) in s_names)
        {
            if ((flags & flag) != 0)
            {
                list.Add(name);
                rest &= ~flag;
            }
        }
        if (rest != 0)
        {
            list.Add($"0x{(ushort)rest:x}");
        }
        return list;
    }
}
