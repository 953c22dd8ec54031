using System.Runtime.CompilerServices;
using SharpTun.Linux;

namespace SharpTun.Cli;

/// <summary>
/// A networking tool leaves nothing behind: the .NET runtime opens a diagnostic IPC socket
/// ($TMPDIR/dotnet-diagnostic-PID-…-socket, listed by <c>ss -xlp</c>) and debugger pipes at start-up,
/// and leaves the files when the process is killed. Only the environment variable
/// DOTNET_EnableDiagnostics=0 turns them off (no runtimeconfig knob exists), so the launcher sets it,
/// and a start without it (<c>dotnet sharptun.dll</c>, the tool shim) removes this start's files and
/// re-executes itself once with it set: same PID, same arguments, nothing in /tmp. A user who sets
/// DOTNET_EnableDiagnostics (to 1, to attach dotnet-trace) keeps the runtime's behaviour.
/// The native (Native AOT) binary has no diagnostic server, so it never re-executes.
/// </summary>
internal static class Diagnostics
{
    internal const string Variable = "DOTNET_EnableDiagnostics";

    /// <summary>The GC's gen0 budget (env only: there is no runtimeconfig knob), set with the re-exec and by the launcher.</summary>
    internal const string Gen0Variable = "DOTNET_GCgen0size";

    internal const string Gen0Budget = "0x400000";

    internal static void EnsureDisabled()
    {
        if (!RuntimeFeature.IsDynamicCodeSupported || Environment.GetEnvironmentVariable(Variable) is not null || !OperatingSystem.IsLinux())
        {
            return;
        }
        if (Environment.GetEnvironmentVariable("WG_TUN_FD") is { Length: > 0 } || Environment.GetEnvironmentVariable("WG_UAPI_FD") is { Length: > 0 })
        {
            return; // descriptors handed over (wg userspace): the re-exec marks every descriptor close-on-exec
        }
        var environment = ProcessImage.CurrentEnvironment().Append(new(Variable, "0")).ToList();
        if (Environment.GetEnvironmentVariable(Gen0Variable) is null)
        {
            // A 4 MB gen0 budget: a long-running tunnel's few allocations (status, timers) then do not
            // grow the heap by the default budget (measured: receiver RSS 72 -> 60 MiB under load).
            environment.Add(new(Gen0Variable, Gen0Budget));
        }
        RemoveOwnFiles();
        // Returns only if the exec failed: then run on, with the runtime's files (nothing else is lost).
        _ = ProcessImage.ReExecSelf(environment);
    }

    /// <summary>The runtime names its files after the PID, which the exec keeps: remove ours before they are orphaned.</summary>
    private static void RemoveOwnFiles()
    {
        var pid = Environment.ProcessId;
        var tmp = Environment.GetEnvironmentVariable("TMPDIR") is { Length: > 0 } t ? t : "/tmp";
        try
        {
            foreach (var pattern in new[] { $"dotnet-diagnostic-{pid}-*-socket", $"clr-debug-pipe-{pid}-*" })
            {
                foreach (var f in Directory.EnumerateFiles(tmp, pattern))
                {
                    File.Delete(f);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
