using System.Runtime.InteropServices;

namespace SharpTun.Cli.Commands;

/// <summary>
/// SIGINT/SIGTERM stop a long-running command (its token is cancelled; the process does not die),
/// SIGUSR1 runs a status callback. One registration for the commands that run until stopped.
/// </summary>
internal sealed class TunnelSignals : IDisposable
{
    // Linux's signal number for SIGUSR1; .NET accepts raw numbers cast to PosixSignal on Unix.
    private const int SigUsr1 = 10;

    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration _int;
    private readonly PosixSignalRegistration _term;
    private readonly PosixSignalRegistration? _usr1;

    internal TunnelSignals(CancellationToken outer, Action? onStop = null, Action? onStatus = null)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(outer);
        void Stop(PosixSignalContext ctx)
        {
            ctx.Cancel = true;
            onStop?.Invoke();
            _stop.Cancel();
        }
        _int = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        if (onStatus is not null)
        {
            _usr1 = PosixSignalRegistration.Create((PosixSignal)SigUsr1, ctx =>
            {
                ctx.Cancel = true;
                onStatus();
            });
        }
    }

    /// <summary>Cancelled on SIGINT/SIGTERM or when the outer token is.</summary>
    internal CancellationToken Token => _stop.Token;

    public void Dispose()
    {
        _usr1?.Dispose();
        _term.Dispose();
        _int.Dispose();
        _stop.Dispose();
    }
}
