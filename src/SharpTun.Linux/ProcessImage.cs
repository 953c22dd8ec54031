using System.Runtime.InteropServices;
using SharpTun.Linux.Interop;
using SharpTun.Netlink;

namespace SharpTun.Linux;

/// <summary>
/// Replacing the running process with another program (execve): same PID, same stdin/stdout/stderr, the
/// environment given. Before the exec, every descriptor above stderr is marked close-on-exec (the runtime's
/// own epoll, eventfd and socket descriptors must not leak into the program), the signal mask is cleared
/// and SIGPIPE, which .NET ignores, is back to its default (a program writing to a closed pipe dies as
/// it would when started from a shell).
/// </summary>
public static class ProcessImage
{
    /// <summary>
    /// Runs <paramref name="argv"/>[0] found on PATH in place of this process. Returns only on failure,
    /// with the errno (ENOENT: no such program; EACCES: not executable). Equivalent to: <c>exec CMD ARGS</c>.
    /// </summary>
    public static int ExecFromPath(IReadOnlyList<string> argv, IEnumerable<KeyValuePair<string, string>>? environment = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(argv.Count);
        return Exec(argv, environment, (a, e) => Libc.Execvpe(argv[0], a, e));
    }

    /// <summary>
    /// Runs this process' own executable (/proc/self/exe) again with its original command line
    /// (/proc/self/cmdline) and <paramref name="environment"/>. Returns only on failure, with the errno.
    /// </summary>
    public static int ReExecSelf(IEnumerable<KeyValuePair<string, string>> environment)
    {
        var cmdline = File.ReadAllBytes("/proc/self/cmdline");
        var argv = System.Text.Encoding.UTF8.GetString(cmdline).TrimEnd('\0').Split('\0');
        return Exec(argv, environment, (a, e) => Libc.Execve("/proc/self/exe", a, e));
    }

    /// <summary>The exit status a shell gives when exec failed with <paramref name="errno"/>: 127 not found, 126 found but not executable.</summary>
    public static int ShellExitCode(int errno) => errno == Errno.ENOENT ? 127 : 126;

    /// <summary>The process' environment as .NET sees it (it includes changes made through <see cref="Environment"/>).</summary>
    public static IEnumerable<KeyValuePair<string, string>> CurrentEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Select(e => new KeyValuePair<string, string>((string)e.Key, (string?)e.Value ?? ""));

    private static int Exec(IReadOnlyList<string> argv, IEnumerable<KeyValuePair<string, string>>? environment, Func<nint[], nint[], int> exec)
    {
        var env = (environment ?? CurrentEnvironment()).Select(kv => $"{kv.Key}={kv.Value}").ToList();
        var a = ToNative(argv);
        var e = ToNative(env);
        try
        {
            _ = Libc.CloseRange(3, uint.MaxValue, Libc.CLOSE_RANGE_CLOEXEC);
            _ = Libc.PthreadSigmask(Libc.SIG_SETMASK, new byte[Libc.SigSetBytes], 0);
            var pipe = Libc.Signal(Libc.SIGPIPE, 0);
            _ = exec(a, e);
            var errno = Marshal.GetLastPInvokeError();
            _ = Libc.Signal(Libc.SIGPIPE, pipe);
            return errno;
        }
        finally
        {
            Free(a);
            Free(e);
        }
    }

    private static nint[] ToNative(IReadOnlyList<string> strings)
    {
        var native = new nint[strings.Count + 1];
        for (var i = 0; i < strings.Count; i++)
        {
            native[i] = Marshal.StringToCoTaskMemUTF8(strings[i]);
        }
        return native;
    }

    private static void Free(nint[] native)
    {
        foreach (var p in native)
        {
            if (p != 0)
            {
                Marshal.FreeCoTaskMem(p);
            }
        }
    }
}
