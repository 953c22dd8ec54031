namespace SharpTun.WireGuard.Tests;

internal static class ConfigVectors
{
    internal static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Vectors", "Config", name);

    internal static string Read(string name) => File.ReadAllText(Path(name));
}
