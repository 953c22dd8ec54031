using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static partial class Libc
{
    /// <summary><c>execve(path, argv, envp)</c> of an exact path; returns only on failure.</summary>
    [LibraryImport(Name, EntryPoint = "execve", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Execve(string path, nint[] argv, nint[] envp);
}
