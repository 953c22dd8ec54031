using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static partial class Libc
{
    /// <summary><c>setgroups(size, list)</c>; <c>setgroups(0, NULL)</c> clears the supplementary groups.</summary>
    [LibraryImport(Name, EntryPoint = "setgroups", SetLastError = true)]
    internal static partial int SetGroups(nuint size, nint list);
}
