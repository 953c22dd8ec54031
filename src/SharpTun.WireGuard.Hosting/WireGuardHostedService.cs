using Microsoft.Extensions.Hosting;
using SharpTun.WireGuard.Host;

namespace SharpTun.WireGuard.Hosting;

/// <summary>
/// One <see cref="WireGuardService"/> under a host: <see cref="StartAsync"/> runs it on its own thread
/// (<see cref="WireGuardService.RunAsync"/>) and returns once the interface is up; <see cref="StopAsync"/> cancels
/// it and waits for the teardown. The service's thread is started from the thread that calls StartAsync, so it
/// is in that thread's network namespace.
/// </summary>
internal sealed class WireGuardHostedService(Func<WireGuardService> create) : IHostedService
{
    private readonly CancellationTokenSource _stop = new();
    private Task<WireGuardServiceStop>? _run;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var service = create();
        _run = service.RunAsync(_stop.Token);
        // Ready faults with the start error (and the run with it); a stop before ready cancels it.
        await service.Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_run is { } run)
        {
            try
            {
                await run.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (run.IsFaulted)
            {
                // A failed start was StartAsync's error already.
            }
        }
    }
}
