using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace SharpTun.Cli;

/// <summary><c>sharptun --version</c> (or <c>-V</c>, as ip): "sharptun 0.1.0 (commit 1a2b3c4)". The SDK stamps the commit into the informational version.</summary>
internal sealed class VersionInfo : SynchronousCommandLineAction
{
    internal static string Text
    {
        get
        {
            var info = typeof(VersionInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            var plus = info.IndexOf('+', StringComparison.Ordinal);
            var version = plus < 0 ? info : info[..plus];
            var commit = plus < 0 ? "unknown" : info[(plus + 1)..];
            return $"sharptun {version} (commit {(commit.Length > 12 ? commit[..12] : commit)})";
        }
    }

    internal static void Install(RootCommand root)
    {
        var option = root.Options.OfType<VersionOption>().FirstOrDefault();
        if (option is null)
        {
            option = new VersionOption();
            root.Options.Add(option);
        }
        option.Aliases.Add("-V");
        option.Action = new VersionInfo();
    }

    public override int Invoke(ParseResult parseResult)
    {
        Console.Out.WriteLine(Text);
        return CliRunner.Ok;
    }
}
