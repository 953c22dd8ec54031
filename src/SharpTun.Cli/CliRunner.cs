using SharpTun.Linux.Tun;

namespace SharpTun.Cli;

/// <summary>
/// Runs a command body and turns failures into one clear line on stderr and a non-zero exit code
/// that scripts can trust: 0 success, 1 operation failed, 2 bad usage/arguments (unknown command,
/// missing or unparsable option, unknown keyword), 126/127 <c>netns exec</c> could not run the
/// program, 130 stopped by SIGINT, 143 stopped by SIGTERM (long-running commands print their
/// summary first; see <see cref="RunUntilSignalAsync"/>). Help goes to stdout only when asked for.
/// </summary>
internal static class CliRunner
{
    internal const int Ok = 0;
    internal const int Failed = 1;
    internal const int Usage = 2;
    internal const int CannotExecute = 126;
    internal const int CommandNotFound = 127;
    internal const int Interrupted = 130;
    internal const int Terminated = 143;

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

    /// <summary>
    /// Runs a long-running command under the shared stop rule (<see cref="SignalStop"/>): the body gets a
    /// token that the first SIGINT/SIGTERM cancels, stops cleanly, prints its summary and returns its code;
    /// the result is then 130 (SIGINT) or 143 (SIGTERM) instead of 0. An <see cref="OperationCanceledException"/>
    /// escaping the body after a signal counts as that clean stop. <paramref name="cancellationToken"/>
    /// (System.CommandLine's) is linked in.
    /// </summary>
    internal static async Task<int> RunUntilSignalAsync(Func<CancellationToken, Task<int>> body, CancellationToken cancellationToken = default)
    {
        using var stop = SignalStop.Listen(cancellationToken);
        try
        {
            return stop.Exit(await body(stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stop.Token.IsCancellationRequested)
        {
            return stop.ExitCode ?? Interrupted;
        }
        catch (Exception e)
        {
            return Report(e);
        }
    }

    /// <summary>
    /// Same as <see cref="RunUntilSignalAsync"/> for a body that gets the <see cref="SignalStop"/> itself (to print which signal).
    /// <paramref name="terminateIsNormalStop"/>: a service's convention (tunnel, as wg up): SIGTERM is how it is told to stop, so it exits 0.
    /// </summary>
    internal static async Task<int> RunWithStopAsync(Func<SignalStop, Task<int>> body, CancellationToken cancellationToken = default,
        bool terminateIsNormalStop = false)
    {
        using var stop = SignalStop.Listen(cancellationToken);
        try
        {
            var code = stop.Exit(await body(stop).ConfigureAwait(false));
            return terminateIsNormalStop && code == Terminated && stop.ExitCode == Terminated ? Ok : code;
        }
        catch (OperationCanceledException) when (stop.Token.IsCancellationRequested)
        {
            return terminateIsNormalStop && stop.ExitCode == Terminated ? Ok : stop.ExitCode ?? Interrupted;
        }
        catch (Exception e)
        {
            return Report(e);
        }
    }

    internal static int Report(Exception e)
    {
        var code = e is ArgumentException or FormatException ? Usage : Failed;
        Console.Error.WriteLine($"sharptun: {UserText.Clean(e)}");
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
