using SharpTun.Packets.Offload;

namespace SharpTun.Packets.Tests.Offload;

/// <summary>Runs the coalescer and the splitter over plain arrays, for readable tests.</summary>
internal static class Coalesce
{
    public const int Offset = 16;

    /// <summary>The outputs of one <see cref="PacketCoalescer.Coalesce"/> call: header and IP packet of each.</summary>
    public static List<(VirtioNetHeader Header, byte[] Packet)> Run(PacketCoalescer c, IReadOnlyList<byte[]> packets, int outputSize = Offset + 12 + 65535)
    {
        var input = packets.Select(p => (Memory<byte>)p).ToArray();
        var outputs = Buffers.Make(packets.Count, outputSize);
        var sizes = new int[packets.Count];
        var n = c.Coalesce(input, outputs, sizes, Offset);
        var result = new List<(VirtioNetHeader, byte[])>();
        for (var j = 0; j < n; j++)
        {
            var o = outputs[j].Span;
            Assert.True(o[..Offset].IndexOfAnyExcept(Buffers.Marker) < 0);
            Assert.True(VirtioNetHeader.TryRead(o[Offset..], out var h));
            if (c.VnetHeaderSize == 12)
            {
                Assert.Equal(0, o[Offset + 10] | o[Offset + 11]);
            }
            result.Add((h, o.Slice(Offset + c.VnetHeaderSize, sizes[j] - c.VnetHeaderSize).ToArray()));
        }
        return result;
    }

    /// <summary>Splits every output again (as the kernel's GSO would) into plain packets.</summary>
    public static List<byte[]> SplitAll(IEnumerable<(VirtioNetHeader Header, byte[] Packet)> outputs)
    {
        var all = new List<byte[]>();
        var buffers = Buffers.Make(700, 1600);
        var sizes = new int[700];
        foreach (var (h, p) in outputs)
        {
            Assert.Equal(OffloadError.None, GsoSplitter.Split(p, h, buffers, sizes, 0, out var n));
            for (var i = 0; i < n; i++)
            {
                all.Add(buffers[i].Span[..sizes[i]].ToArray());
            }
        }
        return all;
    }

    /// <summary>A stream of <paramref name="count"/> full segments of one TCP flow starting at <paramref name="seq"/> with consecutive IDs.</summary>
    public static List<byte[]> Segments(TestFlow flow, int count, int mss, uint seq = 1000, ushort id = 1, int salt = 0)
    {
        var list = new List<byte[]>();
        for (var i = 0; i < count; i++)
        {
            list.Add(flow.Tcp
                ? flow.Packet(Buffers.Payload(mss, salt + i), seq + (uint)(i * mss), 0x10, (ushort)(id + i))
                : flow.Packet(Buffers.Payload(mss, salt + i), id: (ushort)(id + i)));
        }
        return list;
    }
}
