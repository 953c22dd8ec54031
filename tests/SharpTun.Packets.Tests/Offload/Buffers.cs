namespace SharpTun.Packets.Tests.Offload;

/// <summary>Output buffers for the offload tests, pre-filled with a marker to prove nothing is written outside a packet.</summary>
internal static class Buffers
{
    public const byte Marker = 0xA5;

    public static Memory<byte>[] Make(int count, int size)
    {
        var b = new Memory<byte>[count];
        for (var i = 0; i < count; i++)
        {
            var a = new byte[size];
            a.AsSpan().Fill(Marker);
            b[i] = a;
        }
        return b;
    }

    public static byte[] Payload(int length, int salt = 0)
    {
        var p = new byte[length];
        for (var i = 0; i < length; i++)
        {
            p[i] = (byte)((i * 7) + salt + (i >> 8));
        }
        return p;
    }

    public static byte[] Random(Random rng, int length)
    {
        var p = new byte[length];
        rng.NextBytes(p);
        return p;
    }
}
