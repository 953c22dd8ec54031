using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static partial class Libc
{
    /// <summary>STATX_INO: ask for stx_ino.</summary>
    internal const uint STATX_INO = 0x100;

    /// <summary>STATX_MTIME: ask for stx_mtime.</summary>
    internal const uint STATX_MTIME = 0x40;

    /// <summary>struct statx is the same on every architecture: 256 bytes, stx_ino (u64) at offset 32.</summary>
    private const int StatxSize = 256;

    /// <summary>The buffer a caller of <see cref="ModifiedNanoseconds(int, ref byte, Span{byte})"/> provides.</summary>
    internal const int StatxBufferSize = StatxSize;
    private const int StatxInoOffset = 32;

    /// <summary>stx_mtime: struct statx_timestamp { s64 tv_sec; u32 tv_nsec; s32 pad; } at offset 112.</summary>
    private const int StatxMtimeOffset = 112;

    /// <summary><c>statx(AT_FDCWD, path, 0, mask, buf)</c>.</summary>
    [LibraryImport(Name, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, Span<byte> buffer);

    /// <summary><c>statx(AT_FDCWD, path, 0, mask, buf)</c> with the path as NUL-terminated bytes the caller owns (no marshalling).</summary>
    [LibraryImport(Name, EntryPoint = "statx", SetLastError = true)]
    private static partial int Statx(int dirfd, ref byte path, int flags, uint mask, Span<byte> buffer);

    /// <summary>O_PATH | O_DIRECTORY | O_CLOEXEC: a directory fd good only as a *at() anchor.</summary>
    internal const int O_PATH_DIRECTORY = 0x200000 | 0x10000 | 0x80000;

    /// <summary><c>open(path, flags)</c> with the path as NUL-terminated bytes the caller owns.</summary>
    [LibraryImport(Name, EntryPoint = "open", SetLastError = true)]
    internal static partial int Open(ref byte path, int flags);

    /// <summary>
    /// The modification time (ns since the epoch) of the NUL-terminated UTF-8 path starting at <paramref name="path"/>,
    /// relative to the directory fd <paramref name="dirfd"/> (AT_FDCWD = -100 for the working directory), or null.
    /// </summary>
    internal static long? ModifiedNanoseconds(int dirfd, ref byte path, Span<byte> buffer)
    {
        if (Statx(dirfd, ref path, 0, STATX_MTIME, buffer) < 0)
        {
            return null;
        }
        var mtime = buffer[StatxMtimeOffset..];
        return (MemoryMarshal.Read<long>(mtime) * 1_000_000_000L) + MemoryMarshal.Read<uint>(mtime[8..]);
    }

    /// <summary>The inode number of <paramref name="path"/> (following links), or null with errno set.</summary>
    internal static ulong? Inode(string path)
    {
        Span<byte> buffer = stackalloc byte[StatxSize];
        // AT_FDCWD = -100.
        return Statx(-100, path, 0, STATX_INO, buffer) < 0 ? null : MemoryMarshal.Read<ulong>(buffer[StatxInoOffset..]);
    }

    /// <summary>The modification time of <paramref name="path"/> in nanoseconds since the epoch, or null (errno set).</summary>
    internal static long? ModifiedNanoseconds(string path)
    {
        Span<byte> buffer = stackalloc byte[StatxSize];
        if (Statx(-100, path, 0, STATX_MTIME, buffer) < 0)
        {
            return null;
        }
        var mtime = buffer[StatxMtimeOffset..];
        return (MemoryMarshal.Read<long>(mtime) * 1_000_000_000L) + MemoryMarshal.Read<uint>(mtime[8..]);
    }
}
