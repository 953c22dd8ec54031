using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static partial class Libc
{
    /// <summary><c>_LINUX_CAPABILITY_VERSION_3</c>: two <see cref="CapUserData"/> words.</summary>
    internal const uint CapabilityVersion3 = 0x20080522;

    /// <summary><c>CAP_NET_BIND_SERVICE</c>.</summary>
    internal const int CapNetBindService = 10;

    /// <summary><c>CAP_NET_ADMIN</c>.</summary>
    internal const int CapNetAdmin = 12;

    /// <summary><c>capset(header, data)</c>: sets the capabilities of the calling thread only.</summary>
    [LibraryImport(Name, EntryPoint = "capset", SetLastError = true)]
    internal static unsafe partial int CapSet(CapUserHeader* header, CapUserData* data);
}
