using System.Diagnostics;

namespace SharpTun.WireGuard.Host;

/// <summary>The <c>nft</c> tool, as wg-quick drives it: a script on stdin (<c>nft -f -</c>).</summary>
internal static class NftTool
{
    /// <summary>The nft binary found on PATH (as wg-quick's <c>type -p nft</c>; root's default PATH when unset), or null.</summary>
    public static string? Path =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => System.IO.Path.Combine(d, "nft"))
            .FirstOrDefault(File.Exists);

    /// <summary>Runs <c>nft -f -</c> with <paramref name="script"/>; a failure throws <paramref name="what"/> with nft's own words.</summary>
    public static void Run(string nft, string script, string what)
    {
        var (code, _, err) = Exec(nft, ["-f", "-"], script);
        if (code != 0)
        {
            throw new IOException($"{what}: nft -f failed (exit {code}): {OneLine(err)}");
        }
    }

    /// <summary>True when <c>nft list tables</c> shows <c>table FAMILY NAME</c>.</summary>
    public static bool HasTable(string nft, string family, string name)
    {
        var (code, output, err) = Exec(nft, ["list", "tables"], null);
        if (code != 0)
        {
            throw new IOException($"cannot list the nftables tables: nft list tables failed (exit {code}): {OneLine(err)}");
        }
        return output.Split('\n').Any(l => l.Trim() == $"table {family} {name}");
    }

    /// <summary>nft's stderr (often several lines, e.g. the offending script line and a caret) as one line.</summary>
    private static string OneLine(string text) =>
        string.Join(" / ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct());

    private static (int Code, string Output, string Error) Exec(string file, string[] args, string? stdin)
    {
        var psi = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi) ?? throw new IOException($"cannot start {file}");
        p.StandardInput.Write(stdin ?? "");
        p.StandardInput.Close();
        var errTask = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, errTask.Result);
    }
}
