using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MiM.Bundles.Host.Api;

/// <summary>How the serving host adds the REST API: one call.</summary>
public static class ApiServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ApiServer"/> as a hosted service with <paramref name="settings"/>; it validates them when the
    /// host starts and stops the start with a message naming the setting. The host must register the seams the API
    /// reads: IBundleListing, IBundleControl, IJobBoard, IUnroutedSeriesLog, IDicomListenerState, IAuditLog and
    /// IOptions&lt;DestinationsOptions&gt; (DicomScuOptions, DeviceScheduler and TimeProvider are used when present).
    /// </summary>
    public static IServiceCollection AddMimApi(this IServiceCollection services, ApiSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return services.AddMimApi(_ => settings);
    }

    /// <summary>Adds <see cref="ApiServer"/> with settings that depend on other services (the data folder of the serving host).</summary>
    public static IServiceCollection AddMimApi(this IServiceCollection services, Func<IServiceProvider, ApiSettings> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(sp => Options.Create(settings(sp)));
        services.AddHostedService<ApiServer>();
        return services;
    }
}
