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
public static class SourceStamp
{
    /// <summary>True when a listed path is newer than <paramref name="manifest"/>, is gone, or the manifest cannot be read.</summary>
    /// <param name="manifest">A file of paths, one a line (relative paths are taken from the current directory); its own mtime is the build's.</param>
    public static bool IsStale(string manifest)
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
        // find lists a directory and then its entries, so consecutive paths mostly share a parent: that
        // parent is opened once (O_PATH) and each entry is looked up by its last component only, which
        // saves the walk of the whole path per file (about half the cost of a statx by absolute path).
        Span<byte> buffer = stackalloc byte[Libc.StatxBufferSize];
        var length = text.Length;
        if (length > 0 && text[length - 1] != (byte)'\n')
        {
            Array.Resize(ref text, length + 1);
        }
        var dirfd = -1;
        var dirStart = 0;
        var dirLength = -1;
        try
        {
            var start = 0;
            for (var i = 0; i < text.Length; i++)
            {
                if (i < length && text[i] != (byte)'\n')
                {
                    continue;
                }
                text[i] = 0;
                if (i > start && IsNewer(text, start, i, built, buffer, ref dirfd, ref dirStart, ref dirLength))
                {
                    return true;
                }
                start = i + 1;
            }
        }
        finally
        {
            if (dirfd >= 0)
            {
                _ = Libc.Close(dirfd);
            }
        }
        return false;
    }

    /// <summary>Checks text[start..end) (NUL at end), reusing the open parent directory when it is the same as the last one's.</summary>
    private static bool IsNewer(byte[] text, int start, int end, long built, Span<byte> buffer, ref int dirfd, ref int dirStart, ref int dirLength)
    {
        var slash = Array.LastIndexOf(text, (byte)'/', end - 1, end - start);
        long? modified;
        if (slash <= start)
        {
            modified = Libc.ModifiedNanoseconds(-100, ref text[start], buffer);
        }
        else
        {
            var parentLength = slash - start;
            if (dirfd < 0 || parentLength != dirLength || !text.AsSpan(start, parentLength).SequenceEqual(text.AsSpan(dirStart, dirLength)))
            {
                if (dirfd >= 0)
                {
                    _ = Libc.Close(dirfd);
                }
                text[slash] = 0;
                dirfd = Libc.Open(ref text[start], Libc.O_PATH_DIRECTORY);
                text[slash] = (byte)'/';
                dirStart = start;
                dirLength = dirfd < 0 ? -1 : parentLength;
                if (dirfd < 0)
                {
                    return true;
                }
            }
            modified = Libc.ModifiedNanoseconds(dirfd, ref text[slash + 1], buffer);
        }
        return modified is not { } m || m > built;
    }
}
