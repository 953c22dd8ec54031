using SharpTun.Protocol.Framing;

namespace SharpTun.Protocol.Tests.Framing;

public sealed class DatagramFramingTests
{
    [Theory]
    [InlineData(0, false, 1500, DatagramKind.Keepalive)]
    [InlineData(1, false, 1500, DatagramKind.Runt)]
    [InlineData(19, false, 1500, DatagramKind.Runt)]
    [InlineData(20, false, 1500, DatagramKind.Packet)]
    [InlineData(1500, false, 1500, DatagramKind.Packet)]
    [InlineData(1501, false, 1500, DatagramKind.Oversize)]
    [InlineData(13, true, 1518, DatagramKind.Runt)]
    [InlineData(14, true, 1518, DatagramKind.Packet)]
    [InlineData(1519, true, 1518, DatagramKind.Oversize)]
    public void Classifies_by_length(int length, bool ethernet, int max, DatagramKind expected)
    {
        Assert.Equal(expected, DatagramFraming.Classify(length, ethernet, max));
    }
}
