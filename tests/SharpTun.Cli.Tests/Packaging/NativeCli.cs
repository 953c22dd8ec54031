namespace SharpTun.Cli.Tests.Packaging;

/// <summary>The native (Native AOT) sharptun that ./build-native.sh (or the launcher) builds.</summary>
internal static class NativeCli
{
    internal static string Path => System.IO.Path.Combine(Repo.Root, "src", "SharpTun.Cli", "bin", "Release", "native", "sharptun");

    /// <summary>Null when the binary is there and newer than the JIT build of the same sources; else why not.</summary>
    internal static string? Missing()
    {
        if (!File.Exists(Path))
        {
            return $"the native CLI is not built ({Path}); run ./build-native.sh";
        }
        var dll = System.IO.Path.Combine(Repo.Root, "src", "SharpTun.Cli", "bin", "Release", "net10.0", "sharptun.dll");
        return File.Exists(dll) && File.GetLastWriteTimeUtc(Path) + TimeSpan.FromMinutes(30) < File.GetLastWriteTimeUtc(dll)
            ? $"the native CLI ({Path}) is older than the JIT build; run ./build-native.sh"
            : null;
    }
}

/// <summary>A fact that runs the native binary: skipped, with the reason, until ./build-native.sh has built it.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class NativeFactAttribute : FactAttribute
{
    public NativeFactAttribute()
    {
        if (NativeCli.Missing() is { } why)
        {
            Skip = why;
        }
    }
}
