using System.Runtime.InteropServices;

namespace SharpTun.Cli.Commands;

/// <summary>
/// SIGUSR1 prints a running tunnel's counters (as <c>kill -USR1</c> asks OpenVPN for its status). Stopping
/// on SIGINT/SIGTERM is the shared rule of <see cref="SignalStop"/>.
/// </summary>
internal sealed class TunnelSignals : IDisposable
{
    // Linux's signal number for SIGUSR1; .NET accepts raw numbers cast to PosixSignal on Unix.
    private const int SigUsr1 = 10;

    private readonly PosixSignalRegistration _usr1;

    internal TunnelSignals(Action onStatus)
    {
        _usr1 = PosixSignalRegistration.Create((PosixSignal)SigUsr1, ctx =>
        {
            ctx.Cancel = true;
            onStatus();
        });
    }

    public void Dispose() => _usr1.Dispose();
}
