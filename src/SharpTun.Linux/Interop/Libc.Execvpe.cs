using System.Runtime.InteropServices;

namespace SharpTun.Linux.Interop;

internal static partial class Libc
{
    /// <summary><c>execvpe(file, argv, envp)</c>: PATH search like a shell; returns only on failure. argv and envp end with a zero entry.</summary>
    [LibraryImport(Name, EntryPoint = "execvpe", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Execvpe(string file, nint[] argv, nint[] envp);
}
