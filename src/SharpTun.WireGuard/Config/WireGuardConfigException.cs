namespace SharpTun.WireGuard;

/// <summary>
/// A config file that cannot be used. The message names the file, the line and the key:
/// <c>wg0.conf:7: AllowedIPs: '10.0.0.300/24' is not an IP prefix</c>.
/// </summary>
public sealed class WireGuardConfigException : FormatException
{
    /// <summary>Creates the error.</summary>
    public WireGuardConfigException(string fileName, int line, string? key, string problem)
        : base(key is null ? $"{fileName}:{line}: {problem}" : $"{fileName}:{line}: {key}: {problem}")
    {
        FileName = fileName;
        Line = line;
        Key = key;
        Problem = problem;
    }

    /// <summary>Creates the error without a location.</summary>
    public WireGuardConfigException()
        : this("config", 0, null, "invalid config")
    {
    }

    /// <summary>Creates the error without a location.</summary>
    public WireGuardConfigException(string message)
        : base(message)
    {
        FileName = "config";
        Problem = message;
    }

    /// <summary>Creates the error without a location, with an inner exception.</summary>
    public WireGuardConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        FileName = "config";
        Problem = message;
    }

    /// <summary>The file name as given to the parser (usually without directories).</summary>
    public string FileName { get; }

    /// <summary>The 1-based line; 0 when the problem is about the whole file.</summary>
    public int Line { get; }

    /// <summary>The key as written on the line, when the problem is about one.</summary>
    public string? Key { get; }

    /// <summary>The problem in words, without the location.</summary>
    public string Problem { get; }
}
