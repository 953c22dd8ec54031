namespace SharpTun.Testing;

/// <summary>Locates the repository and the built <c>sharptun</c> CLI for tests that run it as a user would.</summary>
public static class Repo
{
    /// <summary>The repository root (the directory holding SharpTun.slnx).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests were built with (Debug or Release).</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>Path of the CLI assembly <c>sharptun.dll</c> of the same configuration; built by the solution build.</summary>
    public static string CliDll
    {
        get
        {
            var dll = Path.Combine(Root, "src", "SharpTun.Cli", "bin", Configuration, "net10.0", "sharptun.dll");
            if (!File.Exists(dll))
            {
                throw new FileNotFoundException($"the CLI is not built ({dll}); build the solution first (./test.sh does)");
            }
            return dll;
        }
    }

    /// <summary>Arguments that run the CLI through the dotnet host: <c>dotnet sharptun.dll ARGS</c>.</summary>
    public static string[] Cli(params string[] args) => [CliDll, .. args];

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SharpTun.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new DirectoryNotFoundException("cannot find SharpTun.slnx above " + AppContext.BaseDirectory);
    }
}
