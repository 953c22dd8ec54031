namespace SharpTun.Protocol.Framing;

/// <summary>The outcome of one <see cref="FrameDecoder.Decode"/> step.</summary>
public enum FrameDecodeStatus
{
    /// <summary>The input is used up and no whole packet is pending; feed more bytes.</summary>
    NeedMoreData,

    /// <summary>A whole packet was decoded.</summary>
    Packet,

    /// <summary>The stream announced a length of 0 or above the limit; the stream is unusable from here on.</summary>
    InvalidLength,
}
