using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static partial class Libc
{
    /// <summary>STATX_INO: ask for stx_ino.</summary>
    internal const uint STATX_INO = 0x100;

    /// <summary>struct statx is the same on every architecture: 256 bytes, stx_ino (u64) at offset 32.</summary>
    private const int StatxSize = 256;
    private const int StatxInoOffset = 32;

    /// <summary><c>statx(AT_FDCWD, path, 0, mask, buf)</c>.</summary>
    [LibraryImport(Name, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, Span<byte> buffer);

    /// <summary>The inode number of <paramref name="path"/> (following links), or null with errno set.</summary>
    internal static ulong? Inode(string path)
    {
        Span<byte> buffer = stackalloc byte[StatxSize];
        // AT_FDCWD = -100.
        return Statx(-100, path, 0, STATX_INO, buffer) < 0 ? null : MemoryMarshal.Read<ulong>(buffer[StatxInoOffset..]);
    }
}
