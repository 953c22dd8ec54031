namespace SharpTun.IO;

/// <summary>
/// What a protocol adds to <see cref="StreamDeframer"/>'s own length check (1..max): a judgement of a
/// frame from its announced length and its first bytes, made as soon as the prefix and up to
/// <see cref="StartBytes"/> bytes are in, before the rest arrives. Pure, stateless; one instance may
/// serve every connection. Called once per frame (more often while the frame is still arriving).
/// </summary>
public interface IStreamFrameCheck
{
    /// <summary>How many bytes of a frame's start <see cref="Check"/> wants to see (fewer while they are not there yet).</summary>
    int StartBytes { get; }

    /// <summary>Null when a frame of <paramref name="length"/> bytes starting with <paramref name="start"/> is plausible; else why not, in words.</summary>
    string? Check(int length, ReadOnlySpan<byte> start);
}
