using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace SharpTun.Linux.Interop;

/// <summary>
/// <c>struct ifreq</c> as the TUN ioctls use it: <c>ifr_name[IFNAMSIZ]</c> at offset 0 and the
/// union at offset 16, of which they read <c>short ifr_flags</c>. The union is 24 bytes on LP64
/// (its largest member is <c>struct ifmap</c>), so the struct is 40 bytes; the kernel copies all 40.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = Size)]
internal struct IfReq
{
    /// <summary>sizeof(struct ifreq) on LP64.</summary>
    internal const int Size = 40;

    /// <summary>IFNAMSIZ: the name buffer including its NUL terminator.</summary>
    internal const int NameSize = 16;

    /// <summary>Offset of <c>ifr_flags</c>.</summary>
    internal const int FlagsOffset = 16;

    internal NameBuffer Name;
    internal short Flags;

    [InlineArray(NameSize)]
    internal struct NameBuffer
    {
        private byte _element0;
    }

    /// <summary>An ifreq with <paramref name="name"/> (already validated, ≤ 15 bytes) and flags.</summary>
    internal static IfReq Create(string? name, short flags)
    {
        var ifr = new IfReq { Flags = flags };
        if (!string.IsNullOrEmpty(name))
        {
            Encoding.ASCII.GetBytes(name, (Span<byte>)ifr.Name);
        }
        return ifr;
    }

    /// <summary>The NUL-terminated name as a string.</summary>
    internal readonly string GetName()
    {
        ReadOnlySpan<byte> bytes = Name;
        var len = bytes.IndexOf((byte)0);
        return Encoding.ASCII.GetString(len < 0 ? bytes : bytes[..len]);
    }
}
