using System.Runtime.InteropServices;

namespace SharpTun.Cli;

/// <summary>
/// The one stop rule for long-running commands (read, respond, tunnel, lab, wg up): the first SIGINT or
/// SIGTERM cancels <see cref="Token"/> so the command stops cleanly and prints its summary; the process
/// then exits 128+signal (130 for SIGINT, 143 for SIGTERM), as a shell reports a program killed by that
/// signal, so scripts see how it ended. A second signal is not intercepted: it kills the process at once.
/// A normal end (count or time limit reached) exits 0.
/// </summary>
internal sealed class SignalStop : IDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly PosixSignalRegistration _sigint;
    private readonly PosixSignalRegistration _sigterm;
    private int _exitCode;

    private SignalStop(CancellationToken linked)
    {
        _cts = CancellationTokenSource.CreateLinkedTokenSource(linked);
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled by the first SIGINT/SIGTERM (or by the linked token).</summary>
    internal CancellationToken Token => _cts.Token;

    /// <summary>130 after SIGINT, 143 after SIGTERM, null while no signal arrived.</summary>
    internal int? ExitCode => Volatile.Read(ref _exitCode) is var c and not 0 ? c : null;

    /// <summary>Which signal stopped the command ("SIGINT"/"SIGTERM"), or null.</summary>
    internal string? SignalName => ExitCode switch
    {
        CliRunner.Interrupted => "SIGINT",
        CliRunner.Terminated => "SIGTERM",
        _ => null,
    };

    /// <summary>Starts listening for SIGINT and SIGTERM; <paramref name="linked"/> also cancels <see cref="Token"/>.</summary>
    internal static SignalStop Listen(CancellationToken linked = default) => new(linked);

    /// <summary>The exit code for a command body that returned <paramref name="bodyResult"/>: a signal wins over 0.</summary>
    internal int Exit(int bodyResult) => ExitCode is { } signalled && bodyResult == CliRunner.Ok ? signalled : bodyResult;

    private void OnSignal(PosixSignalContext context)
    {
        var code = context.Signal == PosixSignal.SIGINT ? CliRunner.Interrupted : CliRunner.Terminated;
        if (Interlocked.CompareExchange(ref _exitCode, code, 0) != 0)
        {
            // Second signal: let the default action end the process.
            context.Cancel = false;
            return;
        }
        context.Cancel = true;
        _cts.Cancel();
    }

    public void Dispose()
    {
        _sigint.Dispose();
        _sigterm.Dispose();
        _cts.Dispose();
    }
}
