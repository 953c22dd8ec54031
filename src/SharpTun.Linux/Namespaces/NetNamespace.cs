using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using SharpTun.Linux.Interop;
using SharpTun.Netlink;

namespace SharpTun.Linux.Namespaces;

/// <summary>
/// Named network namespaces the way <c>ip netns</c> keeps them: a namespace stays alive while its
/// nsfs file is bind-mounted on /run/netns/NAME. Entering one (setns) changes only the calling
/// thread, so <see cref="Run{T}"/> does it on a dedicated new thread, never a pool thread. Sockets,
/// netlink sockets and tun devices opened there stay in that namespace after the thread ends.
/// </summary>
public static class NetNamespace
{
    /// <summary>Where iproute2 keeps named namespaces.</summary>
    public const string RunDirectory = "/run/netns";

    /// <summary>The nsfs file of the calling thread (/proc/self is the process' main thread, not this one).</summary>
    private const string ThreadNetNs = "/proc/thread-self/ns/net";

    /// <summary>Path of a named namespace's file.</summary>
    public static string PathOf(string name)
    {
        ValidateName(name);
        return Path.Combine(RunDirectory, name);
    }

    /// <summary>True when /run/netns/NAME exists.</summary>
    public static bool Exists(string name) => File.Exists(PathOf(name));

    /// <summary>Names of the namespaces under /run/netns, sorted. Equivalent to: <c>ip netns list</c>.</summary>
    public static IReadOnlyList<string> List() =>
        Directory.Exists(RunDirectory)
            ? [.. Directory.EnumerateFiles(RunDirectory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)]
            : [];

    /// <summary>
    /// Creates a named namespace: a new network namespace (unshare on a private thread) bind-mounted on
    /// /run/netns/NAME, with /run/netns made a shared mount point first as iproute2 does. Its loopback
    /// is down, as after <c>ip netns add</c>. Equivalent to: <c>ip netns add $name</c>.
    /// </summary>
    public static void Create(string name)
    {
        var path = PathOf(name);
        var what = $"cannot create namespace '{name}'";
        Directory.CreateDirectory(RunDirectory);
        MakeRunDirectoryShared(what);
        try
        {
            using (new FileStream(path, FileMode.CreateNew, FileAccess.Write))
            {
            }
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new NetNamespaceException($"{what}: it already exists", Errno.EEXIST);
        }
        catch (UnauthorizedAccessException)
        {
            throw new NetNamespaceException($"{what}: permission denied on {RunDirectory} (needs root)", Errno.EACCES);
        }
        try
        {
            OnThread(() =>
            {
                if (Libc.Unshare(Libc.CLONE_NEWNET) < 0)
                {
                    throw Fail(what, "unshare(CLONE_NEWNET)", Marshal.GetLastPInvokeError());
                }
                if (Libc.Mount(ThreadNetNs, path, "none", Libc.MS_BIND, 0) < 0)
                {
                    throw Fail(what, $"bind mount on {path}", Marshal.GetLastPInvokeError());
                }
                return 0;
            }, what);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>
    /// Deletes a named namespace: unmounts and removes /run/netns/NAME. The namespace itself goes away
    /// when nothing else (a process, an open fd, a socket) holds it. Equivalent to: <c>ip netns del $name</c>.
    /// </summary>
    public static void Delete(string name)
    {
        var path = PathOf(name);
        var what = $"cannot delete namespace '{name}'";
        if (!File.Exists(path))
        {
            throw new NetNamespaceException($"{what}: no such namespace (no {path})", Errno.ENOENT);
        }
        if (Libc.Umount2(path, Libc.MNT_DETACH) < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EINVAL)
            {
                throw Fail(what, $"umount {path}", errno);
            }
        }
        File.Delete(path);
    }

    /// <summary>
    /// Runs <paramref name="action"/> on a new thread inside namespace <paramref name="name"/> and returns
    /// its result; exceptions are rethrown here. Whatever it opens (sockets, tun devices) stays in that
    /// namespace. Equivalent to: <c>ip netns exec $name …</c> for code in this process.
    /// </summary>
    public static T Run<T>(string name, Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var what = $"cannot enter namespace '{name}'";
        using var target = OpenHandle(name);
        return OnThread(() =>
        {
            if (Libc.SetNs(target, Libc.CLONE_NEWNET) < 0)
            {
                throw Fail(what, "setns", Marshal.GetLastPInvokeError());
            }
            return action();
        }, what);
    }

    /// <summary>
    /// Like <see cref="Run{T}"/> without blocking the caller: the dedicated thread completes the task.
    /// </summary>
    public static Task<T> RunAsync<T>(string name, Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.SetResult(Run(name, action));
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "sharptun-netns-async",
        };
        thread.Start();
        return done.Task;
    }

    /// <summary>Runs <paramref name="action"/> inside namespace <paramref name="name"/>; see <see cref="Run{T}"/>.</summary>
    public static void Run(string name, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Run(name, () =>
        {
            action();
            return 0;
        });
    }

    /// <summary>
    /// Opens /run/netns/NAME (read-only, close-on-exec). The fd names the namespace for setns and for
    /// IFLA_NET_NS_FD (<c>ip link set … netns NAME</c>, veth peers). The caller disposes it.
    /// </summary>
    public static SafeFileHandle OpenHandle(string name)
    {
        var path = PathOf(name);
        var fd = Libc.Open(path, Libc.O_CLOEXEC);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno == Errno.ENOENT
                ? new NetNamespaceException($"cannot open namespace '{name}': no such namespace (no {path})", errno)
                : Fail($"cannot open namespace '{name}'", $"open {path}", errno);
        }
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    internal static void ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name is "." or ".." || name.Contains('/') || name.Contains('\0'))
        {
            throw new ArgumentException($"invalid namespace name '{name}': must be non-empty, not '.' or '..', without '/'");
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> on a fresh thread and puts the thread back into its original network
    /// namespace afterwards (the thread ends anyway; restoring keeps any reuse safe).
    /// </summary>
    private static T OnThread<T>(Func<T> body, string what)
    {
        T result = default!;
        ExceptionDispatchInfo? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                var original = new SafeFileHandle(Libc.Open(ThreadNetNs, Libc.O_CLOEXEC), ownsHandle: true);
                if (original.IsInvalid)
                {
                    throw Fail(what, $"open {ThreadNetNs}", Marshal.GetLastPInvokeError());
                }
                using (original)
                {
                    try
                    {
                        result = body();
                    }
                    finally
                    {
                        _ = Libc.SetNs(original, Libc.CLONE_NEWNET);
                    }
                }
            }
            catch (Exception e)
            {
                error = ExceptionDispatchInfo.Capture(e);
            }
        })
        {
            IsBackground = true,
            Name = "sharptun-netns",
        };
        thread.Start();
        thread.Join();
        error?.Throw();
        return result;
    }

    /// <summary>iproute2's netns_add: /run/netns must be a shared mount so mounts propagate to other mount namespaces.</summary>
    private static void MakeRunDirectoryShared(string what)
    {
        if (Libc.Mount("", RunDirectory, "none", Libc.MS_SHARED | Libc.MS_REC, 0) == 0)
        {
            return;
        }
        var errno = Marshal.GetLastPInvokeError();
        if (errno != Errno.EINVAL)
        {
            throw Fail(what, $"make {RunDirectory} a shared mount", errno);
        }
        // Not a mount point yet: bind it on itself, then share it.
        if (Libc.Mount(RunDirectory, RunDirectory, "none", Libc.MS_BIND | Libc.MS_REC, 0) < 0 ||
            Libc.Mount("", RunDirectory, "none", Libc.MS_SHARED | Libc.MS_REC, 0) < 0)
        {
            throw Fail(what, $"make {RunDirectory} a shared mount", Marshal.GetLastPInvokeError());
        }
    }

    private static NetNamespaceException Fail(string what, string step, int errno) =>
        errno is Errno.EPERM or Errno.EACCES
            ? new NetNamespaceException($"{what}: {step}: permission denied (needs CAP_SYS_ADMIN; run as root)", errno)
            : new NetNamespaceException($"{what}: {step}: {Errno.Describe(errno)}", errno);
}
