using Xunit;

namespace SharpTun.Testing;

/// <summary>
/// A fact judged by tshark (Wireshark's command line, in test.sh's package list). Without tshark on
/// PATH it is reported as skipped with the reason, never as passed.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TsharkFactAttribute : FactAttribute
{
    /// <summary>Marks the test skipped unless tshark is on PATH.</summary>
    public TsharkFactAttribute()
    {
        if (!Installed)
        {
            Skip = "needs tshark (apt-get install tshark; ./test.sh installs it as root)";
        }
    }

    /// <summary>Whether an executable tshark is on PATH.</summary>
    public static bool Installed { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Any(dir => File.Exists(Path.Combine(dir, "tshark")));
}
