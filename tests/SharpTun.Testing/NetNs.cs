namespace SharpTun.Testing;

/// <summary>
/// A network namespace made by a test (<c>ip netns add</c>) with loopback up, removed on dispose
/// together with everything in it. Processes started through <see cref="Start"/> are killed by PID on dispose.
/// </summary>
public sealed class NetNs : IDisposable
{
    private readonly List<System.Diagnostics.Process> _processes = [];

    /// <summary>The namespace name (unique per run).</summary>
    public string Name { get; }

    private readonly bool _owned;

    private NetNs(string name, bool owned = true)
    {
        Name = name;
        _owned = owned;
    }

    /// <summary>
    /// Wraps a namespace someone else made (e.g. a lab topology) for <see cref="Exec"/>/<see cref="Ip"/>/<see cref="Start"/>;
    /// dispose kills the processes started here but leaves the namespace to its owner.
    /// </summary>
    public static NetNs Existing(string name) => new(name, owned: false);

    /// <summary>Creates a fresh namespace with a unique name and brings <c>lo</c> up.</summary>
    public static NetNs Create(string prefix = "stn")
    {
        var ns = new NetNs(UniqueName.Next(prefix));
        Run.Exec("ip", ["netns", "add", ns.Name]).EnsureSuccess();
        try
        {
            ns.Ip("link set lo up");
        }
        catch
        {
            ns.Dispose();
            throw;
        }
        return ns;
    }

    /// <summary>Runs a command inside the namespace and returns its result (not checked).</summary>
    public ProcessResult Exec(string file, IEnumerable<string> args, TimeSpan? timeout = null, string? stdin = null) =>
        Run.Exec("ip", new[] { "netns", "exec", Name, file }.Concat(args), timeout, stdin);

    /// <summary>Runs a shell command line inside the namespace (not checked).</summary>
    public ProcessResult Sh(string commandLine, TimeSpan? timeout = null) =>
        Exec("/bin/sh", ["-c", commandLine], timeout);

    /// <summary>Runs <c>ip ARGS</c> inside the namespace and throws if it fails.</summary>
    public string Ip(string args) =>
        Run.Exec("ip", new[] { "-n", Name }.Concat(args.Split(' ', StringSplitOptions.RemoveEmptyEntries))).EnsureSuccess().StdOut;

    /// <summary>Starts a long-running process inside the namespace; it is killed on dispose.</summary>
    public System.Diagnostics.Process Start(string file, IEnumerable<string> args, IDictionary<string, string>? env = null)
    {
        var p = Run.Start("ip", new[] { "netns", "exec", Name, file }.Concat(args), env);
        lock (_processes)
        {
            _processes.Add(p);
        }
        return p;
    }

    /// <summary>Kills the processes this namespace started and deletes the namespace.</summary>
    public void Dispose()
    {
        lock (_processes)
        {
            foreach (var p in _processes)
            {
                try
                {
                    if (!p.HasExited)
                    {
                        p.Kill(entireProcessTree: true);
                        p.WaitForExit(5000);
                    }
                }
                catch (InvalidOperationException)
                {
                }
                p.Dispose();
            }
            _processes.Clear();
        }
        if (_owned)
        {
            Run.Exec("ip", ["netns", "del", Name]);
        }
    }
}
