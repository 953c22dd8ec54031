namespace SharpTun.Testing;

/// <summary>The outcome of a finished child process.</summary>
public sealed record ProcessResult(string Command, int ExitCode, string StdOut, string StdErr)
{
    /// <summary>Throws with the command, exit code and both streams unless the exit code is 0.</summary>
    public ProcessResult EnsureSuccess()
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"command failed (exit {ExitCode}): {Command}\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}");
        }
        return this;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Command} -> exit {ExitCode}\n{StdOut}\n{StdErr}";
}
