using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MiM.Bundles.Host.Serving;

/// <summary>
/// How `mim serve` runs as an operating-system service. Under systemd (configs/systemd/mim-serve.service) the host
/// tells systemd when it is ready (Type=notify: after every hosted service started, the SCP listening included) and
/// when it stops, and logs in the journal's format with priorities; started any other way nothing changes.
/// </summary>
public static class SystemdIntegration
{
    /// <summary>
    /// Adds systemd integration and gives the hosted services <paramref name="gracePeriod"/> to finish or checkpoint
    /// their jobs on SIGTERM. The unit's TimeoutStopSec must be longer, or systemd kills the host mid-checkpoint.
    /// </summary>
    public static IServiceCollection AddMimSystemd(this IServiceCollection services, TimeSpan gracePeriod)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(gracePeriod, TimeSpan.Zero);
        services.AddSystemd();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = gracePeriod);
        return services;
    }

    /// <summary>True when this process was started by systemd as a service (then readiness is notified).</summary>
    public static bool IsSystemdService => Microsoft.Extensions.Hosting.Systemd.SystemdHelpers.IsSystemdService();
}
