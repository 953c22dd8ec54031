using SharpTun.Linux.Tun;

namespace SharpTun.Cli;

/// <summary>
/// Runs a command body and turns failures into one clear line on stderr and a non-zero exit code
/// that scripts can trust: 0 success, 1 operation failed, 2 bad usage/arguments, 130 interrupted.
/// </summary>
internal static class CliRunner
{
    internal const int Ok = 0;
    internal const int Failed = 1;
    internal const int Usage = 2;
    internal const int Interrupted = 130;

    internal static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e)
        {
            return Report(e);
        }
    }

    internal static async Task<int> RunAsync(Func<CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            return await body(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Interrupted;
        }
        catch (Exception e)
        {
            return Report(e);
        }
    }

    internal static int Report(Exception e)
    {
        var code = e is ArgumentException or FormatException ? Usage : Failed;
        Console.Error.WriteLine($"sharptun: {e.Message}");
        if (Environment.GetEnvironmentVariable("SHARPTUN_DEBUG") == "1")
        {
            Console.Error.WriteLine(e);
        }
        return code;
    }

    internal static TunMode ParseMode(string? mode) => mode?.ToLowerInvariant() switch
    {
        null or "" or "tun" => TunMode.Tun,
        "tap" => TunMode.Tap,
        _ => throw new ArgumentException($"invalid mode '{mode}': use tun or tap"),
    };
}
