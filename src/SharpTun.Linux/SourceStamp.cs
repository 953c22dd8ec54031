using SharpTun.Linux.Interop;

namespace SharpTun.Linux;

/// <summary>
/// The ./sharptun launcher's up-to-date check, done by the program it starts so that it costs no extra process:
/// the launcher writes a manifest (every source file and source directory, one path a line) just before it
/// builds, and passes its path in the environment; the build is current while no listed path is newer than
/// the manifest itself. A directory's mtime changes when an entry is added, removed or renamed (new files,
/// editors that save by rename, git checkout), a file's when it is edited in place; one statx per path
/// (about 500 for this tree: a few hundred microseconds, no allocation per path beyond the line).
/// </summary>
internal static class SourceStamp
{
    /// <summary>True when a listed path is newer than <paramref name="manifest"/>, is gone, or the manifest cannot be read.</summary>
    internal static bool IsStale(string manifest)
    {
        if (Libc.ModifiedNanoseconds(manifest) is not { } built)
        {
            return true;
        }
        byte[] text;
        try
        {
            text = File.ReadAllBytes(manifest);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }
        // One read, then each line NUL-terminated in place and handed to statx as it is: no string per path.
        Span<byte> buffer = stackalloc byte[Libc.StatxBufferSize];
        var start = 0;
        var length = text.Length;
        if (length > 0 && text[length - 1] != (byte)'\n')
        {
            Array.Resize(ref text, length + 1);
        }
        for (var i = 0; i < text.Length; i++)
        {
            if (i < length && text[i] != (byte)'\n')
            {
                continue;
            }
            text[i] = 0;
            if (i > start && (Libc.ModifiedNanoseconds(ref text[start], buffer) is not { } modified || modified > built))
            {
                return true;
            }
            start = i + 1;
        }
        return false;
    }
}
