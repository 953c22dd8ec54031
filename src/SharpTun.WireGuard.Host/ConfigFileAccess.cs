namespace SharpTun.WireGuard.Host;

/// <summary>
/// wg-quick's permission check of a config file: it warns ("Warning: `FILE' is world accessible") when the
/// file's and its directory's permission bits for others overlap (<c>file &amp; dir &amp; 0007 != 0</c>, on
/// the path with symbolic links resolved) — the private key is then readable by any local user.
/// </summary>
public static class ConfigFileAccess
{
    private const UnixFileMode OtherBits = UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>The path wg-quick names (links resolved, absolute).</summary>
    public static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        return new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
    }

    /// <summary>True when others may read, write or search both the file and its directory in the same way (wg-quick's test).</summary>
    public static bool IsWorldAccessible(string path)
    {
        var file = Resolve(path);
        var dir = Path.GetDirectoryName(file) ?? "/";
        return (File.GetUnixFileMode(file) & File.GetUnixFileMode(dir) & OtherBits) != 0;
    }

    /// <summary>wg-quick's words for <paramref name="path"/>, or null when it is not world accessible.</summary>
    public static string? Warning(string path) =>
        IsWorldAccessible(path) ? $"Warning: `{Resolve(path)}' is world accessible" : null;
}
