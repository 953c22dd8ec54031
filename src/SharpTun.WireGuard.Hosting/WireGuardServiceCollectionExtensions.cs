using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SharpTun.WireGuard.Host;

namespace SharpTun.WireGuard.Hosting;

/// <summary>
/// Registers a WireGuard interface as a hosted service: it comes up when the host starts (a start error fails
/// the host's start) and goes down when the host stops. Logging goes to the host's <see cref="ILoggerFactory"/>
/// unless the options name another; the host's lifetime handles SIGTERM/SIGINT, so the service does not.
/// Call once per interface; <c>configure</c> may be null (the defaults).
/// </summary>
public static class WireGuardServiceCollectionExtensions
{
    /// <summary>Adds the interface of wg-quick file <paramref name="fileOrName"/> (NAME alone: /etc/wireguard/NAME.conf), read when the host starts.</summary>
    public static IServiceCollection AddSharpTunWireGuard(this IServiceCollection services, string fileOrName, Action<WireGuardServiceOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(fileOrName);
        return services.AddSharpTunWireGuard(_ => WireGuardService.LoadConfig(fileOrName), configure);
    }

    /// <summary>Adds the interface <paramref name="config"/> returns (called when the host starts).</summary>
    public static IServiceCollection AddSharpTunWireGuard(this IServiceCollection services, Func<IServiceProvider, HostConfig> config, Action<WireGuardServiceOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(config);
        services.AddSingleton<IHostedService>(provider =>
        {
            var options = new WireGuardServiceOptions { HandleSignals = false };
            configure?.Invoke(options);
            options.LoggerFactory ??= provider.GetService<ILoggerFactory>();
            return new WireGuardHostedService(() => new WireGuardService(config(provider), options));
        });
        return services;
    }
}
