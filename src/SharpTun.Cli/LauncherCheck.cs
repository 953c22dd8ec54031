using SharpTun.Linux;

namespace SharpTun.Cli;

/// <summary>
/// The second half of the ./sharptun launcher's up-to-date check (<see cref="SourceStamp"/>): started by the
/// launcher with <c>SHARPTUN_SOURCES=MANIFEST SHARPTUN_LAUNCHER=PATH</c>, the CLI checks the sources before it
/// does anything, and when one changed after the last build it hands the same command line back to the
/// launcher with <c>SHARPTUN_REBUILD=1</c> (exec: same PID), which builds and runs the new build. Started any
/// other way (installed binary, dotnet sharptun.dll) it costs one getenv. The variables are removed so that
/// nothing this process starts inherits them.
/// </summary>
internal static class LauncherCheck
{
    internal const string SourcesVariable = "SHARPTUN_SOURCES";
    internal const string LauncherVariable = "SHARPTUN_LAUNCHER";
    internal const string RebuildVariable = "SHARPTUN_REBUILD";

    internal static void RebuildIfStale(string[] args)
    {
        if (Environment.GetEnvironmentVariable(SourcesVariable) is not { } manifest)
        {
            return;
        }
        var launcher = Environment.GetEnvironmentVariable(LauncherVariable);
        Environment.SetEnvironmentVariable(SourcesVariable, null);
        Environment.SetEnvironmentVariable(LauncherVariable, null);
        if (launcher is null || !SourceStamp.IsStale(manifest))
        {
            return;
        }
        Environment.SetEnvironmentVariable(RebuildVariable, "1");
        // Returns only if the exec failed: then this (older) build runs the command.
        _ = ProcessImage.ExecFromPath([launcher, .. args]);
        Environment.SetEnvironmentVariable(RebuildVariable, null);
    }
}
