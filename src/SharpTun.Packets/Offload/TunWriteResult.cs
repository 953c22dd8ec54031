namespace SharpTun.Packets.Offload;

/// <summary>
/// What one <see cref="TunCoalescingWriter.Write"/> did. When the device refused an output the
/// packets merged into it are lost without knowing which: <see cref="Packets"/> then counts each
/// output taken as one packet, and <see cref="OutputsRefused"/> each refused one once.
/// </summary>
/// <param name="Packets">Packets the device took.</param>
/// <param name="Bytes">IP bytes the device took (headers of the virtio-net kind not included).</param>
/// <param name="Outputs">Writes handed to the device (super-packets and single packets).</param>
/// <param name="OutputsRefused">Of those, the ones the device refused.</param>
/// <param name="TooBig">Packets dropped before writing: longer than 65535 bytes.</param>
/// <param name="SuperPackets">Outputs that were super-packets (a GSO header, two or more packets merged).</param>
/// <param name="PacketsCoalesced">Packets merged into those super-packets.</param>
public readonly record struct TunWriteResult(int Packets, long Bytes, int Outputs, int OutputsRefused, int TooBig, int SuperPackets, int PacketsCoalesced)
{
    /// <summary>The sum of two results, field by field.</summary>
    public static TunWriteResult operator +(TunWriteResult a, TunWriteResult b) => new(
        a.Packets + b.Packets, a.Bytes + b.Bytes, a.Outputs + b.Outputs, a.OutputsRefused + b.OutputsRefused,
        a.TooBig + b.TooBig, a.SuperPackets + b.SuperPackets, a.PacketsCoalesced + b.PacketsCoalesced);

    /// <summary>The same as the + operator (for languages without operators).</summary>
    public static TunWriteResult Add(TunWriteResult left, TunWriteResult right) => left + right;

    /// <summary>Packets lost: the refused outputs (one each) and those too big.</summary>
    public int Lost => OutputsRefused + TooBig;
}
