namespace SharpTun.Linux.Interop;

/// <summary>
/// The libc entry points SharpTun calls, one per <c>Libc.Function.cs</c> file. Each is a thin
/// <c>LibraryImport</c> with <c>SetLastError</c> and <c>SafeHandle</c> parameters; callers read errno
/// through <see cref="System.Runtime.InteropServices.Marshal.GetLastPInvokeError"/> and turn it into a
/// message that names the object (see <see cref="SharpTun.Netlink.Errno"/>). Nothing outside this
/// project calls native code.
/// </summary>
internal static partial class Libc
{
    internal const string Name = "libc";
}
